package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobOutputsTest {

    private static final int SIDE = 64;
    private static final int DEPTH_SIDE = 8;

    @TempDir
    Path workDir;
    private RecordingUploader uploader;
    private OutputKeyLayout keys;

    @BeforeEach
    void setUp() {
        uploader = new RecordingUploader(new InMemoryObjectUploader("outputs"));
        keys = OutputKeyLayout.forJob(UUID.randomUUID());
    }

    /** Frames [first, first+count) of every view: the moving pattern shifted per view, depth rising with x. */
    private static RenderedBatch batch(int first, int count, int views, boolean depth) {
        List<RenderedFrame> images = new ArrayList<>();
        for (int view = 0; view < views; view++) {
            for (int frame = first; frame < first + count; frame++) {
                float[] chw = SyntheticFrames.movingPattern(SIDE, SIDE, frame + 7 * view);
                float[] values = new float[DEPTH_SIDE * DEPTH_SIDE];
                for (int i = 0; i < values.length; i++) {
                    values[i] = 2.25f + (i % DEPTH_SIDE) * 0.15f;
                }
                images.add(new RenderedFrame(frame, view, RgbImage.fromSignedUnitChw(chw, 0, SIDE, SIDE),
                        depth ? new DepthMap(DEPTH_SIDE, DEPTH_SIDE, values) : null));
            }
        }
        return new RenderedBatch(first, count, views, images);
    }

    private JobOutputs open(int views, boolean png, DepthScale depth) throws Exception {
        return JobOutputs.open(keys, uploader, workDir, VideoFormat.of(SIDE, SIDE, 10), views, png, depth);
    }

    @Test
    void framesStreamIntoOneMp4PerViewWithPngsAsTheyComeAndTheManifestLast() throws Exception {
        DepthScale scale = new DepthScale(2.25, 3.3);
        List<ViewOutputs> views;
        try (JobOutputs outputs = open(2, true, scale)) {
            outputs.write(batch(0, 2, 2, true));
            assertEquals(2 * 2 * 2, uploader.order().size(), "PNG frames and depth maps are uploaded per batch");
            assertTrue(uploader.order().stream().noneMatch(k -> k.endsWith(".mp4")), "videos wait for finish()");
            outputs.write(batch(2, 1, 2, true));
            assertThrows(IllegalStateException.class, () -> outputs.uploadManifest(new byte[1]),
                    "no manifest before the videos");
            views = outputs.finish();
            outputs.uploadManifest("{}".getBytes(StandardCharsets.UTF_8));
            assertTrue(outputs.encodeTime().toNanos() > 0);
        }

        List<String> order = uploader.order();
        assertEquals(keys.manifest(), order.get(order.size() - 1), "the manifest is the last object written");
        assertEquals(List.of(keys.video(0), keys.video(1)), order.subList(order.size() - 3, order.size() - 1));
        assertEquals(3 * 2 * 2 + 2 + 1, order.size());
        for (int view = 0; view < 2; view++) {
            ViewOutputs written = views.get(view);
            assertEquals(keys.video(view), written.videoKey());
            assertEquals(Mp4Encoder.H264, written.video().codec());
            assertEquals(3, written.video().frames());
            assertEquals(List.of(keys.frame(view, 0), keys.frame(view, 1), keys.frame(view, 2)), written.frameKeys());
            assertEquals(List.of(keys.depth(view, 0), keys.depth(view, 1), keys.depth(view, 2)), written.depthKeys());
            Path copy = workDir.resolve("check-" + view + ".mp4");
            Files.write(copy, uploader.bytes(written.videoKey()));
            assertEquals(3, Mp4Info.probe(copy).frames());
        }
        RgbImage frame = RgbImage.fromSignedUnitChw(SyntheticFrames.movingPattern(SIDE, SIDE, 2 + 7), 0, SIDE, SIDE);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(uploader.bytes(keys.frame(1, 2))));
        assertEquals(frame.sample(10, 40, 0), (png.getRGB(10, 40) >> 16) & 0xff, "the PNG is the frame, lossless");
        BufferedImage depth = ImageIO.read(new ByteArrayInputStream(uploader.bytes(keys.depth(0, 1))));
        int[] samples = depth.getRaster().getPixels(0, 0, DEPTH_SIDE, 1, (int[]) null);
        assertEquals(2.25 + 3 * 0.15, scale.decode(samples[3]), 1e-4, "decoded with the job's one scale");
        try (Stream<Path> left = Files.list(workDir)) {
            assertEquals(List.of("check-0.mp4", "check-1.mp4"), left.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "uploaded videos are not kept on disk");
        }
    }

    @Test
    void withoutPngOrDepthOnlyVideosAreWritten() throws Exception {
        try (JobOutputs outputs = open(1, false, null)) {
            outputs.write(batch(0, 2, 1, false));
            outputs.finish();
        }
        assertEquals(List.of(keys.video(0)), uploader.order());
    }

    @Test
    void batchesMustComeInOrderAndUnfinishedVideosAreDeleted() throws Exception {
        try (JobOutputs outputs = open(2, false, null)) {
            outputs.write(batch(0, 2, 2, false));
            assertThrows(IllegalStateException.class, () -> outputs.write(batch(3, 1, 2, false)), "a gap");
            assertThrows(IllegalStateException.class, () -> outputs.write(batch(2, 1, 1, false)), "a view missing");
            assertTrue(Files.exists(workDir.resolve("view-00.mp4")));
        }
        try (Stream<Path> left = Files.list(workDir)) {
            assertFalse(left.findAny().isPresent(), "close() deletes the unfinished videos");
        }
        assertEquals(List.of(), uploader.order());
    }

    @Test
    void aStoreOutageSurfacesAsARetryableUploadException() throws Exception {
        uploader.store().failNext(1);
        try (JobOutputs outputs = open(1, true, null)) {
            UploadException e = assertThrows(UploadException.class, () -> outputs.write(batch(0, 1, 1, false)));
            assertTrue(e.isTransient(), "the loop retries the job");
        }
        assertArrayEquals(new String[0], uploader.order().toArray(new String[0]));
    }
}
