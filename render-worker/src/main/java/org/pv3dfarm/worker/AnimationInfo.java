package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.pv3dfarm.protocol.PreviewFormat;

/**
 * What an animated GIF or WebP file holds, read from its container (our own parse, so the check does not depend
 * on which decoders the FFmpeg build has):
 * <ul>
 *   <li>GIF: {@code GIF89a}, the logical screen size, then blocks up to the trailer {@code ;}; each image
 *       descriptor ({@code ,}) is a frame;</li>
 *   <li>WebP: {@code RIFF....WEBP}, a {@code VP8X} chunk with the animation flag and the canvas size (24-bit
 *       minus one), an {@code ANIM} chunk, then one {@code ANMF} chunk per frame.</li>
 * </ul>
 *
 * @param format the container
 * @param width  canvas pixels
 * @param height canvas pixels
 * @param frames frames in the file
 * @param bytes  file size
 */
public record AnimationInfo(PreviewFormat format, int width, int height, int frames, long bytes) {

    public AnimationInfo {
        Objects.requireNonNull(format, "format");
    }

    /** Reads the file; throws when it is not an animation of that format. */
    public static AnimationInfo probe(Path file, PreviewFormat format) throws VideoEncodingException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new VideoEncodingException("cannot read back " + file + ": " + e.getMessage(), e);
        }
        try {
            return format == PreviewFormat.GIF ? gif(data) : webp(data);
        } catch (RuntimeException e) {
            throw new VideoEncodingException(file + " is not a valid animated " + format.wireName() + ": "
                    + e.getMessage(), e);
        }
    }

    static AnimationInfo gif(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        String signature = new String(data, 0, 6, StandardCharsets.US_ASCII);
        if (!signature.equals("GIF89a") && !signature.equals("GIF87a")) {
            throw new IllegalArgumentException("no GIF signature");
        }
        in.position(6);
        int width = in.getShort() & 0xFFFF;
        int height = in.getShort() & 0xFFFF;
        int flags = in.get() & 0xFF;
        in.position(in.position() + 2);
        if ((flags & 0x80) != 0) {
            in.position(in.position() + 3 * (1 << ((flags & 7) + 1)));
        }
        int frames = 0;
        while (true) {
            int block = in.get() & 0xFF;
            if (block == 0x3B) {
                break;
            } else if (block == 0x21) {
                in.get(); // the extension's label
                skipSubBlocks(in);
            } else if (block == 0x2C) {
                frames++;
                in.position(in.position() + 8);
                int local = in.get() & 0xFF;
                if ((local & 0x80) != 0) {
                    in.position(in.position() + 3 * (1 << ((local & 7) + 1)));
                }
                in.get(); // LZW minimum code size
                skipSubBlocks(in);
            } else {
                throw new IllegalArgumentException("unknown block 0x" + Integer.toHexString(block));
            }
        }
        return new AnimationInfo(PreviewFormat.GIF, width, height, frames, data.length);
    }

    private static void skipSubBlocks(ByteBuffer in) {
        int size;
        while ((size = in.get() & 0xFF) != 0) {
            in.position(in.position() + size);
        }
    }

    static AnimationInfo webp(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (!fourCc(data, 0).equals("RIFF") || !fourCc(data, 8).equals("WEBP")) {
            throw new IllegalArgumentException("no RIFF/WEBP header");
        }
        int width = 0;
        int height = 0;
        boolean animated = false;
        int frames = 0;
        int position = 12;
        while (position + 8 <= data.length) {
            String chunk = fourCc(data, position);
            int size = in.getInt(position + 4);
            if (chunk.equals("VP8X")) {
                animated = (data[position + 8] & 0x02) != 0;
                width = 1 + u24(data, position + 12);
                height = 1 + u24(data, position + 15);
            } else if (chunk.equals("ANMF")) {
                frames++;
            }
            position += 8 + size + (size & 1); // chunks are padded to even sizes
        }
        if (!animated) {
            throw new IllegalArgumentException("no VP8X chunk with the animation flag");
        }
        return new AnimationInfo(PreviewFormat.WEBP, width, height, frames, data.length);
    }

    private static String fourCc(byte[] data, int at) {
        return new String(data, at, 4, StandardCharsets.US_ASCII);
    }

    private static int u24(byte[] data, int at) {
        return (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF) << 16;
    }
}
