package org.pv3dfarm.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FaceDetectorOptionsTest {

    @Test
    void defaultsAreMediaPipes() {
        FaceDetectorOptions o = FaceDetectorOptions.defaults();

        assertEquals(BlazeFaceModel.FRONT_128, o.model());
        assertEquals(0.5, o.minScore());
        assertEquals(0.3, o.iouThreshold());
        assertEquals(16, o.maxFaces());
        assertEquals(1, o.intraOpThreads());
        assertEquals(256, FaceDetectorOptions.builder().model(BlazeFaceModel.BACK_256).build().model().inputSize());
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> FaceDetectorOptions.builder().minScore(0).build());
        assertThrows(IllegalArgumentException.class, () -> FaceDetectorOptions.builder().minScore(1).build());
        assertThrows(IllegalArgumentException.class, () -> FaceDetectorOptions.builder().iouThreshold(1.2).build());
        assertThrows(IllegalArgumentException.class, () -> FaceDetectorOptions.builder().maxFaces(0).build());
        assertThrows(IllegalArgumentException.class, () -> FaceDetectorOptions.builder().intraOpThreads(-1).build());
        assertThrows(NullPointerException.class, () -> FaceDetectorOptions.builder().model(null).build());
    }
}
