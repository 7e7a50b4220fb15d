package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pv3dfarm.worker.RgbImage;

class BlazeFaceDetectorTest {

    private static BlazeFaceDetector front;
    private static BlazeFaceDetector back;

    @BeforeAll
    static void open() {
        front = BlazeFaceDetector.open(FaceDetectorOptions.defaults());
        back = BlazeFaceDetector.open(FaceDetectorOptions.builder().model(BlazeFaceModel.BACK_256).build());
    }

    @AfterAll
    static void close() {
        front.close();
        back.close();
    }

    private static BlazeFaceDetector detector(BlazeFaceModel model) {
        return model == BlazeFaceModel.FRONT_128 ? front : back;
    }

    @ParameterizedTest
    @EnumSource(BlazeFaceModel.class)
    void findsTheOneFaceOfTheAstronautPortrait(BlazeFaceModel model) {
        List<Detection> faces = detector(model).detect(TestImages.astronaut());

        assertEquals(1, faces.size(), () -> "faces: " + faces);
        Detection face = faces.get(0);
        assertTrue(face.score() > 0.7, "score " + face.score());
        // Her face lies around x 175..280, y 75..180 of the 512² photo.
        FaceBox box = face.box();
        assertTrue(box.center().distance(new ImagePoint(225, 128)) < 20, "box " + box);
        assertTrue(box.width() > 70 && box.width() < 140 && box.height() > 70 && box.height() < 140, "box " + box);
        ImagePoint rightEye = face.keypoint(FaceKeypoint.RIGHT_EYE);
        ImagePoint leftEye = face.keypoint(FaceKeypoint.LEFT_EYE);
        ImagePoint nose = face.keypoint(FaceKeypoint.NOSE_TIP);
        ImagePoint mouth = face.keypoint(FaceKeypoint.MOUTH_CENTER);
        for (ImagePoint p : List.of(rightEye, leftEye, nose, mouth)) {
            assertTrue(box.contains(p), p + " outside " + box);
        }
        assertTrue(rightEye.x() < nose.x() && nose.x() < leftEye.x(), "her right eye is on the image's left");
        double eyesY = (rightEye.y() + leftEye.y()) / 2;
        assertTrue(eyesY < nose.y() && nose.y() < mouth.y(), "eyes above nose above mouth");
        double eyeDistance = rightEye.distance(leftEye);
        assertTrue(eyeDistance > 0.3 * box.width() && eyeDistance < 0.7 * box.width(), "eyes " + eyeDistance);
        assertTrue(face.keypoint(FaceKeypoint.RIGHT_EAR_TRAGION).x() < rightEye.x());
        assertTrue(face.keypoint(FaceKeypoint.LEFT_EAR_TRAGION).x() > leftEye.x());
    }

    @Test
    void bothModelsAgreeOnTheAstronaut() {
        Detection a = front.detect(TestImages.astronaut()).get(0);
        Detection b = back.detect(TestImages.astronaut()).get(0);

        assertTrue(a.box().iou(b.box()) > 0.6, a.box() + " vs " + b.box());
        for (FaceKeypoint k : List.of(FaceKeypoint.RIGHT_EYE, FaceKeypoint.LEFT_EYE, FaceKeypoint.NOSE_TIP)) {
            assertTrue(a.keypoint(k).distance(b.keypoint(k)) < 8, k + ": " + a.keypoint(k) + " vs " + b.keypoint(k));
        }
    }

    @ParameterizedTest
    @EnumSource(BlazeFaceModel.class)
    void mapsDetectionsBackThroughTheLetterbox(BlazeFaceModel model) {
        RgbImage astronaut = TestImages.astronaut();
        // A wide canvas: the letterbox now pads above and below, and the portrait is shifted and shrunk (less for
        // the front model, which looks for faces that fill much of the frame).
        int width = model == BlazeFaceModel.FRONT_128 ? 600 : 900;
        int x = model == BlazeFaceModel.FRONT_128 ? 60 : 300;
        RgbImage wide = TestImages.placed(astronaut, width, 520, x, 4, 40);
        Detection inPhoto = detector(model).detect(astronaut).get(0);
        List<Detection> faces = detector(model).detect(wide);

        assertEquals(1, faces.size(), () -> "faces: " + faces);
        Detection shifted = faces.get(0);
        ImagePoint expected = new ImagePoint(inPhoto.box().center().x() + x, inPhoto.box().center().y() + 4);
        // The model sees the face smaller than in the 512² photo, so a few pixels of slack.
        assertTrue(shifted.box().center().distance(expected) < 12, shifted.box() + " vs centre " + expected);
        assertEquals(inPhoto.box().width(), shifted.box().width(), 0.2 * inPhoto.box().width());
    }

    @ParameterizedTest
    @EnumSource(BlazeFaceModel.class)
    void findsNoFaceInNoiseOrBlankImages(BlazeFaceModel model) {
        assertEquals(List.of(), detector(model).detect(TestImages.noise(256, 256, 1)));
        assertEquals(List.of(), detector(model).detect(TestImages.noise(640, 360, 2)));
        assertEquals(List.of(), detector(model).detect(TestImages.uniform(200, 100, 128, 128, 128)));
        assertEquals(List.of(), detector(model).detect(TestImages.uniform(64, 64, 0, 0, 0)));
    }

    @Test
    void rejectsImagesItCannotSearch() {
        InvalidImageException tiny = assertThrows(InvalidImageException.class,
                () -> front.detect(TestImages.uniform(15, 300, 1, 2, 3)));
        assertTrue(tiny.getMessage().contains("15x300 is too small"), tiny.getMessage());
        InvalidImageException none = assertThrows(InvalidImageException.class, () -> front.detect(null));
        assertTrue(none.getMessage().contains("no image"), none.getMessage());
        // A buffer that does not match its size never becomes an image.
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(20, 20, new byte[20 * 20]));
    }

    @Test
    void aClosedDetectorSaysSo() {
        BlazeFaceDetector detector = BlazeFaceDetector.open(FaceDetectorOptions.defaults());
        detector.close();
        detector.close(); // idempotent

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> detector.detect(TestImages.uniform(32, 32, 0, 0, 0)));
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void servesConcurrentCallersWithTheSameAnswers() throws Exception {
        RgbImage astronaut = TestImages.astronaut();
        List<Detection> alone = front.detect(astronaut);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Detection>>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> front.detect(astronaut)));
            }
            for (Future<List<Detection>> run : runs) {
                assertEquals(alone, run.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void honoursTheScoreThresholdAndFaceLimit() {
        try (BlazeFaceDetector lenient = BlazeFaceDetector.open(FaceDetectorOptions.builder().minScore(0.05)
                .maxFaces(3).build())) {
            List<Detection> faces = lenient.detect(TestImages.astronaut());
            assertEquals(3, faces.size(), "a low threshold lets weak candidates through, up to maxFaces");
            assertTrue(faces.get(0).score() >= faces.get(1).score() && faces.get(1).score() >= faces.get(2).score());
            assertTrue(faces.get(2).score() >= 0.05);
            // Weak candidates overlapping the face now join its blend, which moves it a little.
            Detection strict = front.detect(TestImages.astronaut()).get(0);
            assertEquals(strict.score(), faces.get(0).score(), 1e-6);
            assertTrue(strict.box().iou(faces.get(0).box()) > 0.95);
        }
    }
}
