package org.pv3dfarm.worker;

/**
 * How a 16-bit depth PNG maps back to distances along the ray (world units):
 * {@code depth = near + (v - 1) / 65534 * (far - near)} for a sample {@code v} in 1..65535, and {@code v = 0}
 * where there was no finite depth. So {@code near} is stored as 1 and {@code far} as 65535, and the step between
 * two codes is {@code (far - near) / 65534}.
 *
 * @param near the smallest finite depth of the image
 * @param far  the largest finite depth of the image ({@code far == near} for a flat or empty image)
 */
public record DepthScale(double near, double far) {

    /** Largest code; 0 is reserved for "no depth". */
    public static final int MAX_CODE = 65_535;

    public DepthScale {
        if (!Double.isFinite(near) || !Double.isFinite(far) || far < near) {
            throw new IllegalArgumentException("need finite near <= far, were " + near + ", " + far);
        }
    }

    /** The 16-bit code of a depth (0 for a non-finite one); depths outside [near, far] are clamped. */
    public int encode(float depth) {
        if (!Float.isFinite(depth)) {
            return 0;
        }
        if (far == near) {
            return 1;
        }
        double unit = (Math.min(far, Math.max(near, depth)) - near) / (far - near);
        return 1 + (int) Math.round(unit * (MAX_CODE - 1));
    }

    /** The depth a code stands for; NaN for 0. */
    public double decode(int code) {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("code must be 0..65535, was " + code);
        }
        return code == 0 ? Double.NaN : near + (code - 1) / (double) (MAX_CODE - 1) * (far - near);
    }

    /** The scale that spans the finite values of {@code depth[offset .. offset+count)}; (0, 0) if none is finite. */
    public static DepthScale spanning(float[] depth, int offset, int count) {
        double near = Double.POSITIVE_INFINITY;
        double far = Double.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + count; i++) {
            float d = depth[i];
            if (Float.isFinite(d)) {
                near = Math.min(near, d);
                far = Math.max(far, d);
            }
        }
        return near > far ? new DepthScale(0, 0) : new DepthScale(near, far);
    }
}
