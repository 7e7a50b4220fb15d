package org.pv3dfarm.worker.face;

/**
 * The six face keypoints BlazeFace predicts, in the model's output order. "Right" and "left" are the subject's:
 * in an unmirrored photo the right eye is the one on the image's left.
 */
public enum FaceKeypoint {
    RIGHT_EYE, LEFT_EYE, NOSE_TIP, MOUTH_CENTER, RIGHT_EAR_TRAGION, LEFT_EAR_TRAGION;

    /** Number of keypoints per detection. */
    public static final int COUNT = values().length;
}
