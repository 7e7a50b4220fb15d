package org.pv3dfarm.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Limited-memory BFGS over a flat float vector (Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.4
 * for the direction, backtracking Armijo line search as in their Algorithm 3.1). For GAN inversion w has only
 * w_dim values and the loss is deterministic, so curvature pays: far fewer steps than Adam for the same loss.
 *
 * <p>One {@link #step}: direction {@code d = −H·g} by the two-loop recursion over the last {@code memory} pairs
 * {@code s = x_{k+1} − x_k}, {@code y = g_{k+1} − g_k} (H₀ = γI, γ = sᵀy / yᵀy of the newest pair); without pairs, or
 * when d is not a descent direction, {@code d = −scale · g / ‖g‖∞} (every value moves at most {@code scale}). d is
 * capped to move no value by more than {@code maxMove}. Then α = α₀, α₀/2, α₀/4, … until
 * {@code f(x + αd) ≤ f(x) + 10⁻⁴·α·gᵀd}, with α₀ = min(1, 2·the last accepted α) (a loss that is not quite smooth,
 * like a volume renderer's, keeps asking for short steps; starting near the last one saves evaluations); a pair is
 * kept only when {@code sᵀy > 0} (curvature condition). If 10 halvings fail, the memory is cleared, x stays, the next
 * gradient step's scale halves and α₀ returns to 1.
 *
 * <p>State in double precision. Not thread-safe.
 */
public final class Lbfgs {

    static final double ARMIJO = 1e-4;
    static final int MAX_HALVINGS = 10;

    private final int memory;
    private final double maxMove;
    private final Deque<double[][]> pairs = new ArrayDeque<>(); // {s, y, {rho}}
    private double scale;
    private double lastAlpha = 1;
    private int evaluations;

    /**
     * @param memory  pairs kept (m)
     * @param scale   largest move of any value on a plain gradient step
     * @param maxMove largest move of any value on any step
     */
    public Lbfgs(int memory, double scale, double maxMove) {
        if (memory < 1 || !(scale > 0) || !(maxMove >= scale)) {
            throw new IllegalArgumentException("need memory >= 1 and 0 < scale <= maxMove, got " + memory + ", "
                    + scale + ", " + maxMove);
        }
        this.memory = memory;
        this.scale = scale;
        this.maxMove = maxMove;
    }

    /** Objective evaluations made by line searches so far. */
    public int evaluations() {
        return evaluations;
    }

    /**
     * Moves {@code x} (in place) from the point whose evaluation is {@code current} and returns the evaluation at the
     * new x (or {@code current} if no decrease was found).
     */
    public <R> R step(float[] x, R current, ToDoubleFunction<R> loss, Function<R, float[]> gradient,
                      Function<float[], R> evaluate) {
        double f = loss.applyAsDouble(current);
        double[] g = toDouble(gradient.apply(current));
        double[] d = direction(g);
        double slope = dot(g, d);
        if (!(slope < 0)) {
            pairs.clear();
            d = steepest(g);
            slope = dot(g, d);
        }
        if (!(slope < 0)) {
            return current; // zero gradient: nothing to do
        }
        double[] x0 = toDouble(x);
        float[] trial = new float[x.length];
        double alpha = Math.min(1, 2 * lastAlpha);
        for (int i = 0; i < MAX_HALVINGS; i++, alpha /= 2) {
            for (int j = 0; j < x.length; j++) {
                trial[j] = (float) (x0[j] + alpha * d[j]);
            }
            R next = evaluate.apply(trial);
            evaluations++;
            double fNext = loss.applyAsDouble(next);
            if (Double.isFinite(fNext) && fNext <= f + ARMIJO * alpha * slope) {
                remember(x0, trial, g, toDouble(gradient.apply(next)));
                lastAlpha = alpha;
                System.arraycopy(trial, 0, x, 0, x.length);
                return next;
            }
        }
        pairs.clear();
        scale /= 2;
        lastAlpha = 1;
        return current;
    }

    private double[] direction(double[] g) {
        if (pairs.isEmpty()) {
            return steepest(g);
        }
        double[] q = g.clone();
        double[] a = new double[pairs.size()];
        int i = 0;
        for (double[][] p : pairs) { // newest first
            a[i] = p[2][0] * dot(p[0], q);
            axpy(-a[i], p[1], q);
            i++;
        }
        double[][] newest = pairs.peekFirst();
        double gamma = dot(newest[0], newest[1]) / dot(newest[1], newest[1]);
        for (int j = 0; j < q.length; j++) {
            q[j] *= gamma;
        }
        var it = pairs.descendingIterator(); // oldest first
        i = pairs.size() - 1;
        while (it.hasNext()) {
            double[][] p = it.next();
            double b = p[2][0] * dot(p[1], q);
            axpy(a[i] - b, p[0], q);
            i--;
        }
        for (int j = 0; j < q.length; j++) {
            q[j] = -q[j];
        }
        return cap(q);
    }

    private double[] steepest(double[] g) {
        double norm = maxAbs(g);
        double[] d = new double[g.length];
        if (norm > 0) {
            for (int j = 0; j < g.length; j++) {
                d[j] = -scale * g[j] / norm;
            }
        }
        return d;
    }

    private double[] cap(double[] d) {
        double m = maxAbs(d);
        if (m > maxMove) {
            for (int j = 0; j < d.length; j++) {
                d[j] *= maxMove / m;
            }
        }
        return d;
    }

    private void remember(double[] x0, float[] x1, double[] g0, double[] g1) {
        double[] s = new double[x0.length];
        double[] y = new double[x0.length];
        for (int j = 0; j < s.length; j++) {
            s[j] = x1[j] - x0[j];
            y[j] = g1[j] - g0[j];
        }
        double sy = dot(s, y);
        if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
            pairs.addFirst(new double[][] {s, y, {1 / sy}});
            if (pairs.size() > memory) {
                pairs.removeLast();
            }
        }
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
