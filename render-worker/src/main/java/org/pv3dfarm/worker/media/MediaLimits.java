package org.pv3dfarm.worker.media;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link MediaDecoder} accepts; immutable, built by {@link #builder()} (which validates).
 *
 * @param maxBytes        largest input file
 * @param maxWidth        widest picture (pixels)
 * @param maxHeight       tallest picture (pixels)
 * @param maxPixels       most pixels per picture (width × height)
 * @param maxDuration     longest video (by the container's duration and by the frames' timestamps)
 * @param maxSourceFrames most frames decoded from a video (a guard against hostile frame rates)
 * @param maxFrames       most frames kept from a video: more are subsampled evenly down to at most this many
 * @param timeout         longest wall-clock time one decode may take; every read from the file checks it
 */
public record MediaLimits(long maxBytes, int maxWidth, int maxHeight, long maxPixels, Duration maxDuration,
                          int maxSourceFrames, int maxFrames, Duration timeout) {

    public MediaLimits {
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(timeout, "timeout");
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBytes must be in [1, 2^31 - 1], was " + maxBytes);
        }
        if (maxWidth < 16 || maxHeight < 16) {
            throw new IllegalArgumentException("maxWidth and maxHeight must be at least 16, were " + maxWidth + "x"
                    + maxHeight);
        }
        if (maxPixels < 256) {
            throw new IllegalArgumentException("maxPixels must be at least 256, was " + maxPixels);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive, was " + maxDuration);
        }
        if (maxSourceFrames < 1) {
            throw new IllegalArgumentException("maxSourceFrames must be at least 1, was " + maxSourceFrames);
        }
        if (maxFrames < 1 || maxFrames > maxSourceFrames) {
            throw new IllegalArgumentException("maxFrames must be in [1, maxSourceFrames = " + maxSourceFrames
                    + "], was " + maxFrames);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    public static MediaLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder().maxBytes(maxBytes).maxWidth(maxWidth).maxHeight(maxHeight).maxPixels(maxPixels)
                .maxDuration(maxDuration).maxSourceFrames(maxSourceFrames).maxFrames(maxFrames).timeout(timeout);
    }

    /**
     * Defaults: 64 MiB, 4096 × 4096 and 16.8 Mpx, 60 s and 1800 source frames (30 fps), 64 frames kept, 60 s to
     * decode.
     */
    public static final class Builder {
        private long maxBytes = 64L << 20;
        private int maxWidth = 4096;
        private int maxHeight = 4096;
        private long maxPixels = 4096L * 4096;
        private Duration maxDuration = Duration.ofSeconds(60);
        private int maxSourceFrames = 1800;
        private int maxFrames = 64;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        public Builder maxBytes(long value) {
            this.maxBytes = value;
            return this;
        }

        public Builder maxWidth(int value) {
            this.maxWidth = value;
            return this;
        }

        public Builder maxHeight(int value) {
            this.maxHeight = value;
            return this;
        }

        public Builder maxPixels(long value) {
            this.maxPixels = value;
            return this;
        }

        public Builder maxDuration(Duration value) {
            this.maxDuration = value;
            return this;
        }

        public Builder maxSourceFrames(int value) {
            this.maxSourceFrames = value;
            return this;
        }

        public Builder maxFrames(int value) {
            this.maxFrames = value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid limit */
        public MediaLimits build() {
            return new MediaLimits(maxBytes, maxWidth, maxHeight, maxPixels, maxDuration, maxSourceFrames, maxFrames,
                    timeout);
        }
    }
}
