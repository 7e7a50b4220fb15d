package org.pv3dfarm.worker.face;

import java.util.Objects;

/**
 * A picture that yields no usable face for inversion, with a {@link Reason} and a message fit for a failed job's
 * reason (running the job again cannot help).
 */
public final class FacePreparationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why no face could be prepared. */
    public enum Reason {
        /** The detector found no face (or the picture is too small to search). */
        NO_FACE,
        /** Several faces and {@link FaceSelection#SINGLE}. */
        SEVERAL_FACES,
        /** A face was found but its keypoints give no crop or camera (degenerate). */
        UNUSABLE_FACE
    }

    private final Reason reason;

    public FacePreparationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public FacePreparationException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
