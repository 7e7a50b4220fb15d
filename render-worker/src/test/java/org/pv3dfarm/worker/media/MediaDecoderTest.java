package org.pv3dfarm.worker.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.worker.Mp4Encoder;
import org.pv3dfarm.worker.RgbImage;
import org.pv3dfarm.worker.VideoFormat;

class MediaDecoderTest {

    @TempDir
    static Path dir;
    static Path mp4;
    static final int FRAMES = 20;
    final MediaDecoder decoder = new MediaDecoder(MediaLimits.defaults());

    /** 20 frames at 10 fps, 96×64, written by the worker's own MP4 encoder (faststart: the index comes first). */
    @BeforeAll
    static void writeMp4() throws Exception {
        mp4 = dir.resolve("clip.mp4");
        try (Mp4Encoder encoder = Mp4Encoder.open(mp4, VideoFormat.of(96, 64, 10))) {
            Path raw = TestMedia.video(dir.resolve("frames.mkv"), "matroska", 96, 64, FRAMES, 10);
            for (RgbImage frame : new MediaDecoder(MediaLimits.defaults()).decodeVideo(raw).frames()) {
                encoder.write(frame);
            }
            encoder.finish();
        }
    }

    @Test
    void pngJpegAndWebpDecodeToTheSamePicture() throws Exception {
        RgbImage reference = TestMedia.readPng(TestMedia.astronautPng());
        RgbImage png = decoder.decodeImage(Files.write(dir.resolve("a.bin"), TestMedia.astronautPng()));
        assertEquals(0, meanAbsDiff(reference, png), "PNG is lossless");
        RgbImage jpeg = decoder.decodeImage(TestMedia.jpeg(TestMedia.astronautPng(), dir.resolve("a.jpg")));
        assertEquals(512, jpeg.width());
        assertTrue(meanAbsDiff(reference, jpeg) < 6, "JPEG differs by " + meanAbsDiff(reference, jpeg));
        DecodedMedia webp = decoder.decode(Files.write(dir.resolve("a.png"), TestMedia.astronautWebp()));
        assertEquals(MediaType.WEBP, webp.type(), "sniffed, whatever the name says");
        assertEquals(256, webp.width());
        assertEquals(256, webp.height());
        // The WebP is the astronaut at half size: compare with every other pixel of the PNG.
        RgbImage half = halve(reference);
        assertTrue(meanAbsDiff(half, webp.first()) < 12, "WebP differs by " + meanAbsDiff(half, webp.first()));
    }

    @Test
    void mp4MovAndWebmDecodeEveryFrameInOrder() throws Exception {
        Path mov = TestMedia.video(dir.resolve("clip.mov"), "mov", 96, 64, FRAMES, 10);
        Path webm = TestMedia.video(dir.resolve("clip.webm"), "matroska", 96, 64, FRAMES, 10);
        for (Path file : new Path[] {mp4, mov, webm}) {
            DecodedMedia video = decoder.decodeVideo(file);
            assertEquals(FRAMES, video.frames().size(), file.toString());
            assertEquals(FRAMES, video.sourceFrames());
            assertEquals(2.0, video.duration(), 0.15, file.toString());
            for (int i = 0; i < FRAMES; i++) {
                assertEquals(4 * i, TestMedia.barX(video.frames().get(i), 32), 2, file + " frame " + i);
                assertEquals(i / 10.0, video.frameTimes().get(i), 0.02, file + " time of frame " + i);
            }
        }
        assertEquals(MediaType.MP4, MediaSniffer.sniff(mp4));
        assertEquals(MediaType.MOV, MediaSniffer.sniff(mov));
        assertEquals(MediaType.WEBM, MediaSniffer.sniff(webm));
    }

    @Test
    void longVideosAreSubsampledEvenlyToTheFrameCap() throws Exception {
        DecodedMedia video = new MediaDecoder(MediaLimits.builder().maxFrames(6).build()).decodeVideo(mp4);
        assertEquals(FRAMES, video.sourceFrames());
        assertTrue(video.frames().size() <= 6 && video.frames().size() >= 3, "kept " + video.frames().size());
        double step = video.frameTimes().get(1) - video.frameTimes().get(0);
        for (int i = 0; i < video.frames().size(); i++) {
            assertEquals(i * step, video.frameTimes().get(i), 0.02, "evenly spaced");
            assertEquals((int) Math.round(40 * video.frameTimes().get(i)), TestMedia.barX(video.frames().get(i), 32), 2);
        }
    }

    @Test
    void aTextFilePosingAsAnImageIsUnsupported() throws Exception {
        Path fake = Files.writeString(dir.resolve("portrait.png"), "hello, I am a portrait\n", StandardCharsets.UTF_8);
        MediaException e = assertThrows(MediaException.class, () -> decoder.decodeImage(fake));
        assertEquals(MediaException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("not a PNG, JPEG or WebP image"), e.getMessage());
        MediaException empty = assertThrows(MediaException.class,
                () -> decoder.decode(Files.write(dir.resolve("empty.jpg"), new byte[0])));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @Test
    void aTruncatedMp4IsCorrupt() throws Exception {
        long size = Files.size(mp4);
        MediaException cut = assertThrows(MediaException.class,
                () -> decoder.decodeVideo(TestMedia.cut(mp4, dir.resolve("cut.mp4"), size * 6 / 10)));
        assertEquals(MediaException.Reason.CORRUPT, cut.reason());
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        MediaException head = assertThrows(MediaException.class,
                () -> decoder.decodeVideo(TestMedia.cut(mp4, dir.resolve("head.mp4"), 300)));
        assertEquals(MediaException.Reason.CORRUPT, head.reason(), head.getMessage());
    }

    @Test
    void aCorruptImageIsCorrupt() throws Exception {
        byte[] png = TestMedia.astronautPng();
        byte[] broken = java.util.Arrays.copyOf(png, 64); // the signature and header, then nothing
        MediaException e = assertThrows(MediaException.class,
                () -> decoder.decodeImage(Files.write(dir.resolve("broken.png"), broken)));
        assertEquals(MediaException.Reason.CORRUPT, e.reason(), e.getMessage());
    }

    @Test
    void limitsAreEnforced() throws Exception {
        Path png = Files.write(dir.resolve("limits.png"), TestMedia.astronautPng());
        MediaException bytes = assertThrows(MediaException.class,
                () -> new MediaDecoder(MediaLimits.builder().maxBytes(1000).build()).decodeImage(png));
        assertEquals(MediaException.Reason.TOO_LARGE, bytes.reason());
        MediaException width = assertThrows(MediaException.class,
                () -> new MediaDecoder(MediaLimits.builder().maxWidth(256).build()).decodeImage(png));
        assertEquals(MediaException.Reason.TOO_LARGE, width.reason());
        assertTrue(width.getMessage().contains("512x512"), width.getMessage());
        MediaException pixels = assertThrows(MediaException.class,
                () -> new MediaDecoder(MediaLimits.builder().maxPixels(100_000).build()).decodeImage(png));
        assertEquals(MediaException.Reason.TOO_LARGE, pixels.reason());
        MediaException duration = assertThrows(MediaException.class, () -> new MediaDecoder(MediaLimits.builder()
                .maxDuration(Duration.ofSeconds(1)).build()).decodeVideo(mp4));
        assertEquals(MediaException.Reason.TOO_LONG, duration.reason());
        MediaException frames = assertThrows(MediaException.class, () -> new MediaDecoder(MediaLimits.builder()
                .maxSourceFrames(10).maxFrames(10).build()).decodeVideo(mp4));
        assertEquals(MediaException.Reason.TOO_LONG, frames.reason());
        MediaException time = assertThrows(MediaException.class, () -> new MediaDecoder(MediaLimits.builder()
                .timeout(Duration.ofNanos(1)).build()).decodeVideo(mp4));
        assertEquals(MediaException.Reason.TIMEOUT, time.reason());
    }

    @Test
    void anImageWhereAVideoIsNeededAndBackIsUnsupported() throws Exception {
        Path png = Files.write(dir.resolve("still.png"), TestMedia.astronautPng());
        assertEquals(MediaException.Reason.UNSUPPORTED_FORMAT,
                assertThrows(MediaException.class, () -> decoder.decodeVideo(png)).reason());
        assertEquals(MediaException.Reason.UNSUPPORTED_FORMAT,
                assertThrows(MediaException.class, () -> decoder.decodeImage(mp4)).reason());
    }

    static double meanAbsDiff(RgbImage a, RgbImage b) {
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        return (double) sum / a.rgb().length;
    }

    static RgbImage halve(RgbImage image) {
        int w = image.width() / 2;
        int h = image.height() / 2;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = image.sample(2 * x, 2 * y, c) + image.sample(2 * x + 1, 2 * y, c)
                            + image.sample(2 * x, 2 * y + 1, c) + image.sample(2 * x + 1, 2 * y + 1, c);
                    rgb[(y * w + x) * 3 + c] = (byte) ((sum + 2) / 4);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
