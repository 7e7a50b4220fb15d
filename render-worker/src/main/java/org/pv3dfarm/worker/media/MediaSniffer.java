package org.pv3dfarm.worker.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Recognises a {@link MediaType} from a file's first {@value #HEAD_BYTES} bytes; names and extensions are never
 * consulted (an upload's name is the client's word).
 *
 * <p>Signatures: PNG {@code 89 50 4E 47 0D 0A 1A 0A}; JPEG {@code FF D8 FF}; WebP {@code RIFF????WEBP}; ISO base
 * media {@code ????ftyp<brand>} (brand {@code qt  } → MOV, any other → MP4), or a QuickTime file that opens with a
 * {@code moov}, {@code mdat}, {@code wide}, {@code free} or {@code skip} atom → MOV; Matroska/WebM the EBML magic
 * {@code 1A 45 DF A3}.
 */
public final class MediaSniffer {

    /** How many leading bytes {@link #sniff(byte[])} looks at. */
    public static final int HEAD_BYTES = 12;

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};

    private MediaSniffer() {
    }

    /** The type of the file at {@code file}. */
    public static MediaType sniff(Path file) throws MediaException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (IOException e) {
            throw new MediaException(MediaException.Reason.CORRUPT, "cannot read the input file: " + e.getMessage(), e);
        }
        return sniff(head).orElseThrow(() -> new MediaException(MediaException.Reason.UNSUPPORTED_FORMAT,
                "the file is not a PNG, JPEG or WebP image nor an MP4, MOV or WebM video (its first bytes are "
                        + describe(head) + ")"));
    }

    /** The type whose signature {@code head} (a file's first bytes) starts with, if any. */
    public static Optional<MediaType> sniff(byte[] head) {
        if (startsWith(head, 0, PNG)) {
            return Optional.of(MediaType.PNG);
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
            return Optional.of(MediaType.JPEG);
        }
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
            return Optional.of(MediaType.WEBP);
        }
        if (startsWith(head, 0, EBML)) {
            return Optional.of(MediaType.WEBM);
        }
        if (ascii(head, 4, "ftyp")) {
            return Optional.of(ascii(head, 8, "qt  ") ? MediaType.MOV : MediaType.MP4);
        }
        for (String atom : new String[] {"moov", "mdat", "wide", "free", "skip"}) {
            if (ascii(head, 4, atom)) {
                return Optional.of(MediaType.MOV);
            }
        }
        return Optional.empty();
    }

    private static boolean ascii(byte[] head, int at, String text) {
        return startsWith(head, at, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean startsWith(byte[] head, int at, byte[] magic) {
        return head.length >= at + magic.length
                && Arrays.equals(head, at, at + magic.length, magic, 0, magic.length);
    }

    /** The bytes as hex, for an error message (never the content as text: it may be anything). */
    private static String describe(byte[] head) {
        if (head.length == 0) {
            return "absent: the file is empty";
        }
        StringBuilder s = new StringBuilder();
        for (byte b : head) {
            s.append(s.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xff));
        }
        return s.toString();
    }
}
