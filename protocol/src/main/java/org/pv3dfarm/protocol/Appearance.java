package org.pv3dfarm.protocol;

import java.util.List;

/**
 * The identity part of a request that samples one: an explicit appearance code {@code z} (length = the model's
 * {@code z_dim}) or a {@code seed} from which the worker draws every code the request does not give, and the
 * truncation {@code psi} applied in the mapping network (1 = no truncation, 0 = the average face).
 */
public interface Appearance {

    /** Default truncation: the usual trade of variety for quality in StyleGAN-family models. */
    double DEFAULT_TRUNCATION_PSI = 0.7;

    /** Seed for codes not given explicitly, 0..2^32-1; assigned at random by the farm when needed and absent. */
    Long seed();

    /** Explicit appearance code, or {@code null} to draw it from the seed. */
    List<Double> z();

    /** Truncation psi. */
    Double truncationPsi();
}
