package org.pv3dfarm.worker;

import java.util.Objects;

/**
 * The latent codes one generate job runs with: the appearance code {@code z} (one identity for the whole job) and
 * the motion code {@code z_motion} (one motion for the whole clip; time {@code t} moves along it).
 *
 * @param z               {@code z_dim} floats; the record keeps the array, do not change it
 * @param zMotion         {@code motion_dim} floats; the record keeps the array, do not change it
 * @param zSource         where {@code z} came from
 * @param zMotionSource   where {@code z_motion} came from
 * @param seed            the request's seed, or {@code null} when both codes were given
 * @param truncationPsi   the truncation applied by the mapping network
 */
public record JobLatents(float[] z, float[] zMotion, Source zSource, Source zMotionSource, Long seed,
        float truncationPsi) {

    /** Where a code came from. */
    public enum Source {
        /** Drawn from the request's seed. */
        SEED,
        /** Given in the request. */
        REQUEST
    }

    public JobLatents {
        Objects.requireNonNull(z, "z");
        Objects.requireNonNull(zMotion, "zMotion");
        Objects.requireNonNull(zSource, "zSource");
        Objects.requireNonNull(zMotionSource, "zMotionSource");
        if ((zSource == Source.SEED || zMotionSource == Source.SEED) && seed == null) {
            throw new IllegalArgumentException("a code drawn from the seed needs the seed");
        }
    }
}
