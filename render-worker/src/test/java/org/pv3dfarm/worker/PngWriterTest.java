package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

class PngWriterTest {

    private final PngWriter writer = new PngWriter();

    @Test
    void framesAreEightBitRgbPngsWithExactPixels() throws Exception {
        RgbImage frame = RgbImage.fromSignedUnitChw(SyntheticFrames.movingPattern(40, 30, 3), 0, 40, 30);
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(writer.rgb(frame)));
        assertEquals(40, read.getWidth());
        assertEquals(30, read.getHeight());
        assertEquals(8, read.getColorModel().getComponentSize(0));
        assertEquals(3, read.getColorModel().getNumComponents());
        for (int y = 0; y < 30; y += 7) {
            for (int x = 0; x < 40; x += 3) {
                int argb = read.getRGB(x, y);
                assertEquals(frame.sample(x, y, 0), (argb >> 16) & 0xff);
                assertEquals(frame.sample(x, y, 1), (argb >> 8) & 0xff);
                assertEquals(frame.sample(x, y, 2), argb & 0xff);
            }
        }
    }

    @Test
    void depthIsSixteenBitGrayWithItsScaleReturnedAndEmbedded() throws Exception {
        int width = 16;
        int height = 8;
        float[] batch = new float[2 * width * height];
        int offset = width * height; // the second map of a [2,1,H,W] batch
        for (int i = 0; i < width * height; i++) {
            batch[offset + i] = 2.25f + 1.05f * i / (width * height - 1);
        }
        batch[offset + 5] = Float.NaN;
        DepthPng png = writer.depth(batch, offset, width, height);

        assertEquals(2.25, png.scale().near(), 1e-6);
        assertEquals(3.30, png.scale().far(), 1e-6);
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png.png()));
        assertEquals(BufferedImage.TYPE_USHORT_GRAY, read.getType());
        double step = (png.scale().far() - png.scale().near()) / 65534;
        for (int i = 0; i < width * height; i++) {
            int code = read.getRaster().getSample(i % width, i / width, 0);
            if (i == 5) {
                assertEquals(0, code, "no depth is stored as 0");
            } else {
                assertEquals(batch[offset + i], png.scale().decode(code), step / 2 + 1e-6);
            }
        }
        assertEquals(1, read.getRaster().getSample(0, 0, 0), "near is code 1");
        assertEquals(65535, read.getRaster().getSample(width - 1, height - 1, 0), "far is code 65535");

        Map<String, String> text = textChunks(png.png());
        assertEquals(png.scale().near(), Double.parseDouble(text.get(PngWriter.NEAR_KEY)), 1e-6);
        assertEquals(png.scale().far(), Double.parseDouble(text.get(PngWriter.FAR_KEY)), 1e-6);
        assertTrue(text.get(PngWriter.ENCODING_KEY).contains("65534"));
    }

    @Test
    void flatOrEmptyDepthStillEncodes() {
        DepthPng flat = writer.depth(new float[] {3f, 3f, 3f, 3f}, 0, 2, 2);
        assertEquals(new DepthScale(3, 3), flat.scale());
        assertEquals(3.0, flat.scale().decode(1));
        DepthPng empty = writer.depth(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 0, 2, 1);
        assertTrue(Double.isNaN(empty.scale().decode(0)));
        assertThrows(IllegalArgumentException.class, () -> writer.depth(new float[3], 0, 2, 2));
    }

    private static Map<String, String> textChunks(byte[] png) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            NodeList entries = root.getElementsByTagName("tEXtEntry");
            Map<String, String> text = new HashMap<>();
            for (int i = 0; i < entries.getLength(); i++) {
                IIOMetadataNode entry = (IIOMetadataNode) entries.item(i);
                text.put(entry.getAttribute("keyword"), entry.getAttribute("value"));
            }
            return text;
        } finally {
            reader.dispose();
        }
    }
}
