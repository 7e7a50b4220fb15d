package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4EncoderTest {

    @TempDir
    Path dir;

    @Test
    void modelFramesBecomeAnH264Mp4WithEveryFrameTheRightSizeAndMotion() throws Exception {
        int width = 128;
        int height = 96;
        int frames = 20;
        Path file = dir.resolve("view-0.mp4");
        Mp4Info info;
        try (Mp4Encoder encoder = Mp4Encoder.open(file, VideoFormat.of(width, height, 25))) {
            for (int t = 0; t < frames; t++) {
                encoder.write(RgbImage.fromSignedUnitChw(SyntheticFrames.movingPattern(width, height, t), 0, width, height));
            }
            info = encoder.finish();
        }
        assertEquals(new Mp4Info("h264", width, height, frames, 25.0, Files.size(file)), info);

        Mp4Info probed = Mp4Info.probe(file);
        assertEquals("h264", probed.codec());
        List<RgbImage> decoded = DecodedVideo.frames(file);
        assertEquals(frames, decoded.size());
        for (int t = 1; t < frames; t++) {
            assertTrue(DecodedVideo.meanAbsoluteDifference(decoded.get(t - 1), decoded.get(t)) > 2.0,
                    "frame " + t + " should differ from the one before");
        }
        RgbImage first = decoded.get(0);
        assertTrue(first.sample(4, 4, 0) > 200 && first.sample(4, 4, 1) < 60 && first.sample(4, 4, 2) < 60,
                "the red square stays red (no channel swap): " + first.sample(4, 4, 0) + ","
                        + first.sample(4, 4, 1) + "," + first.sample(4, 4, 2));
        RgbImage expected = RgbImage.fromSignedUnitChw(SyntheticFrames.movingPattern(width, height, 7), 0, width, height);
        assertTrue(DecodedVideo.meanAbsoluteDifference(expected, decoded.get(7)) < 8.0,
                "decoded frame 7 is close to what was encoded");
    }

    @Test
    void packedBgrFramesAreEncodedWithTheirColoursKept() throws Exception {
        int size = 64;
        ByteBuffer bgr = ByteBuffer.allocate(size * size * 3);
        for (int i = 0; i < size * size; i++) {
            bgr.put((byte) 255).put((byte) 0).put((byte) 0); // pure blue, in BGR order
        }
        bgr.flip();
        Path file = dir.resolve("blue.mp4");
        try (Mp4Encoder encoder = Mp4Encoder.open(file, VideoFormat.of(size, size, 10))) {
            for (int i = 0; i < 5; i++) {
                encoder.write(RgbImage.fromPacked(bgr, size, size, RgbImage.ChannelOrder.BGR));
            }
            assertEquals(5, encoder.finish().frames());
        }
        RgbImage decoded = DecodedVideo.frames(file).get(2);
        assertTrue(decoded.sample(32, 32, 2) > 200 && decoded.sample(32, 32, 0) < 60, "blue stays blue");
    }

    @Test
    void theIndexComesFirstSoPlaybackCanStartWhileDownloading() throws Exception {
        Path file = dir.resolve("faststart.mp4");
        try (Mp4Encoder encoder = Mp4Encoder.open(file, VideoFormat.of(32, 32, 25))) {
            for (int t = 0; t < 3; t++) {
                encoder.write(RgbImage.fromSignedUnitChw(SyntheticFrames.movingPattern(32, 32, t), 0, 32, 32));
            }
            encoder.finish();
        }
        String boxes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(boxes.indexOf("moov") < boxes.indexOf("mdat"), "moov before mdat");
    }

    @Test
    void anEncoderThatIsMissingOrNotH264IsRefusedInsteadOfFallingBackToMpeg4() {
        var missing = assertThrows(VideoEncodingException.class, () -> Mp4Encoder.requireH264Encoder("no-such-encoder"));
        assertTrue(missing.getMessage().contains("no encoder named 'no-such-encoder'"), missing.getMessage());
        var notH264 = assertThrows(VideoEncodingException.class, () -> Mp4Encoder.requireH264Encoder("mpeg4"));
        assertTrue(notH264.getMessage().contains("not H.264"), notH264.getMessage());
    }

    @Test
    void anUnfinishedVideoIsDeletedAndWrongSizesAreRejected() throws Exception {
        Path file = dir.resolve("partial.mp4");
        try (Mp4Encoder encoder = Mp4Encoder.open(file, VideoFormat.of(32, 32, 25))) {
            encoder.write(RgbImage.fromSignedUnitChw(new float[3 * 32 * 32], 0, 32, 32));
            assertThrows(IllegalArgumentException.class,
                    () -> encoder.write(RgbImage.fromSignedUnitChw(new float[3 * 16 * 16], 0, 16, 16)));
        }
        assertFalse(Files.exists(file));
        assertThrows(IllegalArgumentException.class, () -> VideoFormat.of(33, 32, 25));
        assertThrows(IllegalArgumentException.class, () -> VideoFormat.of(32, 32, 0));
    }
}
