package org.pv3dfarm.model;

/**
 * The Adam optimiser (Kingma and Ba, 2015) over a flat float vector, updating parameters in place.
 *
 * <p>At step k = 1, 2, ... with gradient g and learning rate α:
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − α · (m / (1 − β1^k)) / (√(v / (1 − β2^k)) + ε)
 * </pre>
 * State (m, v, k) is kept in double precision. Not thread-safe.
 */
public final class Adam {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private int step;

    /** Adam with the usual β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public Adam(int size) {
        this(size, 0.9, 0.999, 1e-8);
    }

    public Adam(int size, double beta1, double beta2, double epsilon) {
        if (size <= 0) {
            throw new IllegalArgumentException("Adam needs at least one parameter, size was " + size);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), were " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be positive, was " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** Applies one update with learning rate {@code learningRate} to {@code params} given {@code grad}. */
    public void step(float[] params, float[] grad, double learningRate) {
        if (params.length != m.length || grad.length != m.length) {
            throw new IllegalArgumentException("Adam holds " + m.length + " parameters, got params " + params.length
                    + " and grad " + grad.length);
        }
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < m.length; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            params[i] -= (float) (learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon));
        }
    }

    /** Steps taken so far. */
    public int steps() {
        return step;
    }
}
