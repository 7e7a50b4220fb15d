package org.pv3dfarm.model;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A diagonal Gaussian over a latent code: {@code x = mean + std ⊙ ε, ε ~ N(0, I)}.
 * The exporter fits it to the codes the model was trained with; codes drawn from N(0, I) instead can land out of
 * distribution (motion leaking into appearance).
 *
 * @param mean per-dimension mean
 * @param std per-dimension standard deviation (non-negative)
 */
public record GaussianLatent(float[] mean, float[] std) {

    public GaussianLatent {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("latent mean and std must be non-empty and of equal length");
        }
        for (float s : std) {
            if (!(s >= 0)) {
                throw new IllegalArgumentException("latent std must be non-negative, found " + s);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The standard normal of a given size. */
    public static GaussianLatent standard(int dim) {
        float[] ones = new float[dim];
        Arrays.fill(ones, 1f);
        return new GaussianLatent(new float[dim], ones);
    }

    public int dim() {
        return mean.length;
    }

    /** Draws {@code count} codes as a {@code [count, dim]} tensor. */
    public FloatTensor sample(RandomGenerator random, int count) {
        int d = mean.length;
        float[] data = new float[Math.multiplyExact(count, d)];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < d; j++) {
                data[i * d + j] = (float) (mean[j] + std[j] * random.nextGaussian());
            }
        }
        return FloatTensor.of(data, count, d);
    }

    /** The mean as a {@code [1, dim]} tensor. */
    public FloatTensor meanTensor() {
        return FloatTensor.of(mean.clone(), 1, mean.length);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianLatent g && Arrays.equals(mean, g.mean) && Arrays.equals(std, g.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "GaussianLatent[dim=" + mean.length + "]";
    }
}
