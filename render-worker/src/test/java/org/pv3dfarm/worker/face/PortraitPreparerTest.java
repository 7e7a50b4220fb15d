package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.worker.RgbImage;

/** Detect → select → camera → aligned crop on the astronaut portrait, its pieces and videos made of it. */
class PortraitPreparerTest {

    static BlazeFaceDetector detector;
    static PortraitPreparer preparer;

    @BeforeAll
    static void open() {
        detector = BlazeFaceDetector.open(FaceDetectorOptions.defaults());
        preparer = new PortraitPreparer(detector, 128);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void theAstronautGivesAnUprightModelFramedCropAndANearFrontalCamera() throws Exception {
        PreparedPortrait p = preparer.prepare(TestImages.astronaut(), FaceSelection.SINGLE);
        FaceBox box = p.detection().box();
        assertTrue(box.center().distance(new ImagePoint(225, 128)) < 20, "box " + box);
        FaceCamera camera = p.camera();
        assertTrue(Math.abs(camera.yawOffset()) < 0.35, "yaw " + camera.yawOffset());
        assertTrue(Math.abs(camera.pitchOffset()) < 0.35, "pitch " + camera.pitchOffset());
        assertTrue(camera.rmsPixels() < 0.05 * camera.scale(), "keypoints fit the template: rms " + camera.rmsPixels());
        // The crop is about two to three face boxes wide, centred near the face, and lies inside the photo.
        assertTrue(p.crop().side() > 1.5 * box.width() && p.crop().side() < 3.5 * box.width(), "crop " + p.crop());
        assertTrue(Math.hypot(p.crop().centreX() - box.center().x(), p.crop().centreY() - box.center().y())
                < 0.25 * box.width(), "crop " + p.crop() + " vs box " + box);
        assertEquals(1.0, p.coverage(), 0.02);
        // Roll undone: the eyes, mapped into the crop, lie on one row, and where the template puts them.
        double[] r = toCrop(p, p.detection().keypoint(FaceKeypoint.RIGHT_EYE));
        double[] l = toCrop(p, p.detection().keypoint(FaceKeypoint.LEFT_EYE));
        assertEquals(r[1], l[1], 4, "eyes level in the crop: " + r[1] + " vs " + l[1]);
        assertTrue(r[0] < 64 && l[0] > 64 && r[1] < 64, "eyes in the upper half, either side: " + r[0] + ", " + l[0]);
        assertArrayEquals(new long[] {1, 3, 128, 128}, p.target().shape());
        assertArrayEquals(new long[] {1, 1, 128, 128}, p.mask().shape());
        assertEquals(25, p.cameraVector().length);
        for (float v : p.target().data()) {
            assertTrue(v >= -1 && v <= 1);
        }
    }

    @Test
    void aTiltedPortraitIsStraightenedInTheCrop() throws Exception {
        PreparedPortrait upright = preparer.prepare(TestImages.astronaut(), FaceSelection.SINGLE);
        double tilt = 0.35;
        // the photo turned by −tilt about its face (AlignedCrop samples at centre + R(tilt)·offset)
        RgbImage tilted = new AlignedCrop(225, 200, 512, tilt).cut(TestImages.astronaut(), 512).image();
        PreparedPortrait p = preparer.prepare(tilted, FaceSelection.SINGLE);
        assertEquals(upright.camera().roll() - tilt, p.camera().roll(), 0.06, "roll found");
        double[] r = toCrop(p, p.detection().keypoint(FaceKeypoint.RIGHT_EYE));
        double[] l = toCrop(p, p.detection().keypoint(FaceKeypoint.LEFT_EYE));
        assertEquals(r[1], l[1], 4, "eyes level in the crop of the tilted photo");
        assertEquals(upright.camera().yawOffset(), p.camera().yawOffset(), 0.1);
        // the crops of the upright and the tilted photo show the same face in the same place
        double diff = 0;
        for (int i = 0; i < p.image().rgb().length; i++) {
            diff += Math.abs((p.image().rgb()[i] & 0xff) - (upright.image().rgb()[i] & 0xff));
        }
        assertTrue(diff / p.image().rgb().length < 25, "mean difference " + diff / p.image().rgb().length);
    }

    @Test
    void aPictureWithoutAFaceFailsWithNoFace() {
        for (RgbImage noFace : List.of(TestImages.noise(256, 256, 11), region(TestImages.astronaut(), 0, 300, 512, 212))) {
            FacePreparationException e = assertThrows(FacePreparationException.class,
                    () -> preparer.prepare(noFace, FaceSelection.LARGEST));
            assertEquals(FacePreparationException.Reason.NO_FACE, e.reason());
            assertTrue(e.getMessage().contains("no face"), e.getMessage());
        }
        FacePreparationException tiny = assertThrows(FacePreparationException.class,
                () -> preparer.prepare(TestImages.uniform(8, 8, 0, 0, 0), FaceSelection.SINGLE));
        assertEquals(FacePreparationException.Reason.NO_FACE, tiny.reason());
    }

    @Test
    void twoFacesFailUnderSingleAndTheLargestIsTakenWhenAsked() throws Exception {
        RgbImage face = region(TestImages.astronaut(), 97, 0, 256, 256);
        RgbImage again = region(face, 32, 32, 192, 192); // the same face, with less around it
        RgbImage both = overlay(TestImages.placed(face, 512, 256, 0, 0, 128), again, 288, 32);
        FacePreparationException e = assertThrows(FacePreparationException.class,
                () -> preparer.prepare(both, FaceSelection.SINGLE));
        assertEquals(FacePreparationException.Reason.SEVERAL_FACES, e.reason(), e.getMessage());
        PreparedPortrait largest = preparer.prepare(both, FaceSelection.LARGEST);
        List<Detection> faces = detector.detect(both);
        double maxArea = faces.stream().mapToDouble(d -> d.box().area()).max().orElseThrow();
        assertEquals(maxArea, largest.detection().box().area(), 1e-9);
    }

    @Test
    void videoCropsAndCamerasAreSmoothedAndAFacelessFrameBorrowsItsNeighbour() throws Exception {
        // a slow pan: the portrait moves 2 px right per frame; frame 4 is blank
        List<RgbImage> frames = new ArrayList<>();
        RgbImage face = region(TestImages.astronaut(), 97, 0, 256, 256);
        for (int i = 0; i < 9; i++) {
            frames.add(i == 4 ? TestImages.uniform(320, 256, 128, 128, 128)
                    : TestImages.placed(face, 320, 256, 2 * i, 0, 128));
        }
        PreparedVideo video = preparer.prepareVideo(frames, FaceSelection.SINGLE);
        assertEquals(9, video.size());
        assertEquals(8, video.detectedFrames());
        assertArrayEquals(new long[] {4, 3, 128, 128}, video.targets(0, 4).shape());
        assertArrayEquals(new long[] {4, 25}, video.cameras(0, 4).shape());
        // the smoothed crop centre follows the pan at ~2 px per frame, without the detector's jitter
        double first = video.frames().get(0).crop().centreX();
        double last = video.frames().get(8).crop().centreX();
        assertEquals(16, last - first, 4, "pan of 16 px");
        for (int i = 1; i < 9; i++) {
            double step = video.frames().get(i).crop().centreX() - video.frames().get(i - 1).crop().centreX();
            assertTrue(step > -1 && step < 5, "frame " + i + " moved by " + step);
        }
        FacePreparationException none = assertThrows(FacePreparationException.class, () -> preparer.prepareVideo(
                List.of(TestImages.uniform(128, 128, 90, 90, 90), TestImages.uniform(128, 128, 200, 10, 10)), FaceSelection.SINGLE));
        assertEquals(FacePreparationException.Reason.NO_FACE, none.reason());
    }

    @Test
    void anEncodedVideoIsDecodedSubsampledAndPrepared(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        RgbImage face = region(TestImages.astronaut(), 97, 0, 256, 256);
        java.nio.file.Path mp4 = dir.resolve("pan.bin"); // the name says nothing; the bytes do
        try (org.pv3dfarm.worker.Mp4Encoder encoder = org.pv3dfarm.worker.Mp4Encoder.open(mp4,
                org.pv3dfarm.worker.VideoFormat.of(320, 256, 10))) {
            for (int i = 0; i < 12; i++) {
                encoder.write(TestImages.placed(face, 320, 256, 4 * i, 0, 128));
            }
            encoder.finish();
        }
        org.pv3dfarm.worker.media.DecodedMedia video = new org.pv3dfarm.worker.media.MediaDecoder(
                org.pv3dfarm.worker.media.MediaLimits.builder().maxFrames(6).build()).decodeVideo(mp4);
        assertEquals(12, video.sourceFrames());
        PreparedVideo prepared = preparer.prepareVideo(video.frames(), FaceSelection.SINGLE);
        assertEquals(video.frames().size(), prepared.detectedFrames());
        for (int i = 1; i < prepared.size(); i++) {
            double moved = prepared.frames().get(i).crop().centreX() - prepared.frames().get(i - 1).crop().centreX();
            double expected = 40 * (video.frameTimes().get(i) - video.frameTimes().get(i - 1)); // 4 px a frame at 10 fps
            assertEquals(expected, moved, 3, "frame " + i);
        }
    }

    /** A photo point in crop pixels: the inverse of the crop's similarity. */
    static double[] toCrop(PreparedPortrait p, ImagePoint q) {
        AlignedCrop c = p.crop();
        double dx = q.x() - c.centreX(), dy = q.y() - c.centreY();
        double cos = Math.cos(-c.roll()), sin = Math.sin(-c.roll());
        double u = (cos * dx - sin * dy) / c.side() + 0.5, v = (sin * dx + cos * dy) / c.side() + 0.5;
        return new double[] {u * 128, v * 128};
    }

    static RgbImage region(RgbImage image, int x, int y, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int j = 0; j < h; j++) {
            System.arraycopy(image.rgb(), ((y + j) * image.width() + x) * 3, rgb, j * w * 3, w * 3);
        }
        return new RgbImage(w, h, rgb);
    }

    static RgbImage overlay(RgbImage canvas, RgbImage image, int x, int y) {
        byte[] out = canvas.rgb().clone();
        for (int j = 0; j < image.height(); j++) {
            System.arraycopy(image.rgb(), j * image.width() * 3, out, ((y + j) * canvas.width() + x) * 3,
                    image.width() * 3);
        }
        return new RgbImage(canvas.width(), canvas.height(), out);
    }
}
