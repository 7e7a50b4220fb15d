package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pv3dfarm.protocol.PreviewFormat;

class AnimationEncoderTest {

    @TempDir
    Path dir;

    private static RgbImage solid(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, rgb);
    }

    @ParameterizedTest
    @EnumSource(PreviewFormat.class)
    void writesALoopingAnimationWithEveryFrameInTheFfmpegBuildsCodec(PreviewFormat format) throws Exception {
        Path file = dir.resolve("preview." + format.extension());
        AnimationInfo info;
        try (AnimationEncoder encoder = AnimationEncoder.open(file, format, 48, 32, 25)) {
            for (int i = 0; i < 7; i++) {
                encoder.write(solid(48, 32, 30 * i, 255 - 30 * i, 128));
            }
            info = encoder.finish();
        }
        assertEquals(new AnimationInfo(format, 48, 32, 7, Files.size(file)), info);
        byte[] bytes = Files.readAllBytes(file);
        String head = new String(bytes, 0, 12, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(format == PreviewFormat.GIF ? head.startsWith("GIF89a") : head.startsWith("RIFF")
                && head.endsWith("WEBP"), head);
        if (format == PreviewFormat.GIF) {
            // NETSCAPE2.0 application extension: the loop count (0 = forever)
            assertTrue(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("NETSCAPE2.0"));
        }
    }

    @Test
    void refusesWrongSizesAndGarbage() throws Exception {
        try (AnimationEncoder encoder = AnimationEncoder.open(dir.resolve("a.gif"), PreviewFormat.GIF, 16, 16, 10)) {
            assertThrows(IllegalArgumentException.class, () -> encoder.write(solid(8, 16, 0, 0, 0)));
            assertThrows(IllegalStateException.class, encoder::finish, "no frame written");
        }
        assertFalse(Files.exists(dir.resolve("a.gif")), "an unfinished animation is deleted");
        Path garbage = Files.write(dir.resolve("x.webp"), "RIFF\0\0\0\0WEBPVP8 ".getBytes());
        assertThrows(VideoEncodingException.class, () -> AnimationInfo.probe(garbage, PreviewFormat.WEBP));
        assertThrows(VideoEncodingException.class, () -> AnimationInfo.probe(garbage, PreviewFormat.GIF));
    }

    @Test
    void gridTilesViewsRowMajorAndShrinkAverages() {
        GridLayout layout = GridLayout.of(3, 4, 2);
        assertEquals(List.of(2, 2, 8, 4), List.of(layout.columns(), layout.rows(), layout.width(), layout.height()));
        RgbImage grid = layout.tile(List.of(solid(4, 2, 10, 0, 0), solid(4, 2, 20, 0, 0), solid(4, 2, 30, 0, 0)));
        assertEquals(10, grid.sample(0, 0, 0));
        assertEquals(20, grid.sample(4, 1, 0));
        assertEquals(30, grid.sample(3, 2, 0));
        assertEquals(0, grid.sample(7, 3, 0), "the cell without a view stays black");
        assertEquals(List.of(1, 1), List.of(GridLayout.of(1, 4, 2).columns(), GridLayout.of(1, 4, 2).rows()));
        assertEquals(3, GridLayout.of(7, 4, 2).columns());
        assertThrows(IllegalArgumentException.class, () -> layout.tile(List.of(solid(4, 2, 0, 0, 0))));

        byte[] rgb = new byte[4 * 2 * 3];
        rgb[0] = 10;
        rgb[3] = 20;
        rgb[12] = 30;
        rgb[15] = 41; // the top-left 2x2 block's red: 10, 20, 30, 41 → mean 25.25 → 25
        RgbImage small = GridLayout.shrink(new RgbImage(4, 2, rgb), 2);
        assertEquals(2, small.width());
        assertEquals(1, small.height());
        assertEquals(25, small.sample(0, 0, 0));
    }
}
