package org.pv3dfarm.worker.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.pv3dfarm.worker.RgbImage;

/** Test images: PNGs read through ImageIO, and synthetic ones (public: the media and inversion tests use them). */
public final class TestImages {

    private TestImages() {
    }

    /** The public-domain NASA portrait (see NOTICE beside it), 512×512. */
    public static RgbImage astronaut() {
        try (InputStream in = TestImages.class.getResourceAsStream("astronaut.png")) {
            return toRgb(ImageIO.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage read(Path png) {
        try (InputStream in = Files.newInputStream(png)) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new IllegalArgumentException(png + " is not an image ImageIO reads");
            }
            return toRgb(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    static RgbImage uniform(int w, int h, int r, int g, int b) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(w, h, rgb);
    }

    static RgbImage noise(int w, int h, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) random.nextInt(256);
        }
        return new RgbImage(w, h, rgb);
    }

    /** {@code image} placed at (x, y) on a canvas of the given size and colour (parts outside are cut). */
    static RgbImage placed(RgbImage image, int canvasWidth, int canvasHeight, int x, int y, int grey) {
        RgbImage canvas = uniform(canvasWidth, canvasHeight, grey, grey, grey);
        byte[] out = canvas.rgb();
        for (int sy = 0; sy < image.height(); sy++) {
            for (int sx = 0; sx < image.width(); sx++) {
                int tx = x + sx;
                int ty = y + sy;
                if (tx >= 0 && ty >= 0 && tx < canvasWidth && ty < canvasHeight) {
                    System.arraycopy(image.rgb(), (sy * image.width() + sx) * 3, out, (ty * canvasWidth + tx) * 3, 3);
                }
            }
        }
        return canvas;
    }
}
