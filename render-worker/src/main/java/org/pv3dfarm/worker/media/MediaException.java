package org.pv3dfarm.worker.media;

import java.util.Objects;

/**
 * An input file that cannot be used, with a {@link Reason} and a message fit for a failed job's reason (the job
 * handler turns it into one; running the job again cannot help).
 */
public final class MediaException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a file was refused. */
    public enum Reason {
        /** Not one of the {@link MediaType}s (by its magic bytes), or an image where a video is needed and back. */
        UNSUPPORTED_FORMAT,
        /** The format is right but the content cannot be decoded: corrupt, truncated, no video stream. */
        CORRUPT,
        /** Over a size limit of {@link MediaLimits}: bytes, width, height or pixels. */
        TOO_LARGE,
        /** Over the duration or source frame limit of {@link MediaLimits}. */
        TOO_LONG,
        /** Decoding took longer than {@link MediaLimits#timeout()}. */
        TIMEOUT
    }

    private final Reason reason;

    public MediaException(Reason reason, String message) {
        this(reason, message, null);
    }

    public MediaException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
