package org.pv3dfarm.model;

import java.util.Arrays;

/** Comparisons of tensors for tests. */
final class TensorMath {

    private TensorMath() {
    }

    /** max |a − b| over all elements; the shapes must match. */
    static double maxAbsDiff(FloatTensor a, FloatTensor b) {
        requireSameShape(a, b);
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = Math.abs((double) a.data()[i] - b.data()[i]);
            if (!(d <= max)) { // NaN counts as the largest difference
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }

    /** How many elements have |a − b| > bound (NaN counts); the shapes must match. */
    static int countAbsDiffOver(FloatTensor a, FloatTensor b, double bound) {
        requireSameShape(a, b);
        int n = 0;
        for (int i = 0; i < a.data().length; i++) {
            if (!(Math.abs((double) a.data()[i] - b.data()[i]) <= bound)) {
                n++;
            }
        }
        return n;
    }

    /** max |a| over all elements (0 for an empty tensor). */
    static double maxAbs(FloatTensor a) {
        double max = 0;
        for (float v : a.data()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** ‖a − b‖ / ‖b‖ (Euclidean over all elements); b is the reference. */
    static double relativeError(FloatTensor a, FloatTensor b) {
        requireSameShape(a, b);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = (double) a.data()[i] - b.data()[i];
            diff += d * d;
            ref += (double) b.data()[i] * b.data()[i];
        }
        return ref == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / ref);
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Mean of (a − b)² over all elements. */
    static double mse(FloatTensor a, FloatTensor b) {
        requireSameShape(a, b);
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = (double) a.data()[i] - b.data()[i];
            s += d * d;
        }
        return s / a.data().length;
    }

    static void requireSameShape(FloatTensor a, FloatTensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new AssertionError("shapes differ: " + Arrays.toString(a.shape()) + " vs " + Arrays.toString(b.shape()));
        }
    }
}
