package org.pv3dfarm.worker;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encodes frames as 8-bit RGB PNGs and depth maps as 16-bit grayscale PNGs, with the JDK's own PNG writer.
 * Stateless and thread-safe.
 *
 * <p>A depth PNG is self-describing: besides the {@link DepthScale} returned to the caller, it carries
 * {@code tEXt} chunks {@value #NEAR_KEY}, {@value #FAR_KEY} and {@value #ENCODING_KEY}.
 */
public final class PngWriter {

    public static final String CONTENT_TYPE = "image/png";
    public static final String NEAR_KEY = "pv3d:depth_near";
    public static final String FAR_KEY = "pv3d:depth_far";
    public static final String ENCODING_KEY = "pv3d:depth_encoding";
    static final String ENCODING = "depth = near + (v - 1) / 65534 * (far - near); v = 0: no depth";

    /** An 8-bit RGB PNG of the frame. */
    public byte[] rgb(RgbImage frame) {
        Objects.requireNonNull(frame, "frame");
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = frame.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return write(image, Map.of());
    }

    /**
     * A 16-bit grayscale PNG of one depth map ({@code width * height} floats, row-major, from {@code offset}: one
     * map of an {@code [B,1,H,W]} batch starts at {@code n * H * W}), scaled to span its finite values.
     */
    public DepthPng depth(float[] depth, int offset, int width, int height) {
        checkDepthMap(depth, offset, width, height);
        return depth(depth, offset, width, height, DepthScale.spanning(depth, offset, width * height));
    }

    /**
     * A 16-bit grayscale PNG of one depth map on a given scale (depths outside it are clamped): one scale for
     * every map of a job keeps the codes comparable across frames and views.
     */
    public DepthPng depth(float[] depth, int offset, int width, int height, DepthScale scale) {
        checkDepthMap(depth, offset, width, height);
        Objects.requireNonNull(scale, "scale");
        int count = width * height;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        short[] samples = ((DataBufferUShort) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < count; i++) {
            samples[i] = (short) scale.encode(depth[offset + i]);
        }
        Map<String, String> text = Map.of(
                NEAR_KEY, String.format(Locale.ROOT, "%.9g", scale.near()),
                FAR_KEY, String.format(Locale.ROOT, "%.9g", scale.far()),
                ENCODING_KEY, ENCODING);
        return new DepthPng(write(image, text), width, height, scale);
    }

    private static void checkDepthMap(float[] depth, int offset, int width, int height) {
        Objects.requireNonNull(depth, "depth");
        if (width < 1 || height < 1 || offset < 0 || (long) offset + (long) width * height > depth.length) {
            throw new IllegalArgumentException("depth holds " + depth.length + " floats; a " + width + "x" + height
                    + " map at offset " + offset + " does not fit");
        }
    }

    private static byte[] write(BufferedImage image, Map<String, String> text) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            IIOMetadata metadata = null;
            if (!text.isEmpty()) {
                metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
                addText(metadata, text);
            }
            writer.write(null, new IIOImage(image, null, metadata), null);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static void addText(IIOMetadata metadata, Map<String, String> text) throws IIOInvalidTreeException {
        String format = "javax_imageio_png_1.0";
        IIOMetadataNode textNode = new IIOMetadataNode("tEXt");
        text.forEach((key, value) -> {
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", key);
            entry.setAttribute("value", value);
            textNode.appendChild(entry);
        });
        IIOMetadataNode root = new IIOMetadataNode(format);
        root.appendChild(textNode);
        metadata.mergeTree(format, root);
    }
}
