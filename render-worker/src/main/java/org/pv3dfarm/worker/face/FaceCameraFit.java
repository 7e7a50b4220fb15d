package org.pv3dfarm.worker.face;

import java.util.List;
import java.util.Objects;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.ViewAngle;

/**
 * Estimates the PV3D camera of a detected face: the LookAt camera (radius 2.7 around the pivot (0, 0, 0.2), focal
 * 4.2647, the PV3D/EG3D convention of {@link Cameras}) whose pinhole projection of a 3D template of the keypoints
 * best matches the detected ones, up to a 2D similarity (scale, roll, offset: the photo's framing is unknown).
 *
 * <p>Cost, for view angles (yaw, pitch): {@code E = Σ w_k |s·R(roll)·(uv_k − 0.5) + t − q_k|²} over keypoints k
 * with template projections {@code uv_k} and detections {@code q_k}. The similarity is solved in closed form
 * (weighted 2D Procrustes) for each angle pair, so only yaw and pitch are searched: a coarse grid over yaw offsets
 * ±{@value #YAW_RANGE} and pitch offsets ±{@value #PITCH_RANGE} rad (steps of 0.05), then nested grids that halve
 * the step around the best point down to ~1e-5 rad (no local-minimum trap). Eyes, nose and mouth have weight 1, the
 * ears {@value #EAR_WEIGHT}. Robustness: the ears (BlazeFace guesses them, often hidden) are trimmed: while the
 * ear farthest off the fit lies more than {@value #EAR_GATE} × the similarity's scale (≈ 13 px for a head framed
 * like the model's 128² renders) from where the fit puts it, it is dropped and the fit redone. The four face points
 * are always used: 8 residuals for 6 unknowns leave too little redundancy to reject one of them.
 */
public final class FaceCameraFit {

    /** Searched yaw offset from frontal, radians (either side). */
    public static final double YAW_RANGE = 1.2;
    /** Searched pitch offset from frontal, radians (either side). */
    public static final double PITCH_RANGE = 0.8;
    static final double EAR_WEIGHT = 0.25;

    /**
     * The mean world positions of the six BlazeFace keypoints (FaceKeypoint order) of our procedural heads, mouth
     * closed: {@code face_probe.feature_points} averaged over identities 0..255 of seed 0 (model/python/pv3d,
     * {@code np.mean([feature_points(sample_identity(identity_seed(0, i)), 0.0) for i in range(256)], 0)}; the
     * identities' spread is ~0.013 in y, ~0.006 in z). Regenerate if the heads' proportions change.
     */
    static final double[][] TEMPLATE = {
        {-0.0701, 0.0343, 0.2762}, // right eye (world -x), front of the eyeball
        {0.0701, 0.0343, 0.2762}, // left eye
        {0.0, -0.0411, 0.2929}, // nose tip
        {0.0, -0.1341, 0.2824}, // mouth centre, the lips' front
        {-0.1772, -0.0031, 0.0400}, // right ear centre
        {0.1772, -0.0031, 0.0400}, // left ear centre
    };
    private static final double[] WEIGHTS = {1, 1, 1, 1, EAR_WEIGHT, EAR_WEIGHT};
    /** Largest ear residual, as a fraction of the similarity's scale, for the ear to join the fit. */
    static final double EAR_GATE = 0.1;
    private static final double COARSE_STEP = 0.05;
    private static final double FINE_STEP = 1e-5;

    private final double radius;
    private final double[] pivot;
    private final double focal;

    public FaceCameraFit(double radius, double[] pivot, double focal) {
        if (!(radius > 0 && focal > 0) || pivot.length != 3) {
            throw new IllegalArgumentException("need radius > 0, focal > 0 and a 3D pivot");
        }
        this.radius = radius;
        this.pivot = pivot.clone();
        this.focal = focal;
    }

    /** PV3D's camera convention (docs/model.md): radius 2.7, pivot (0, 0, 0.2), focal 4.2647. */
    public static FaceCameraFit pv3d() {
        return new FaceCameraFit(2.7, new double[] {0, 0, 0.2}, 4.2647);
    }

    public FaceCamera estimate(Detection detection) {
        return estimate(Objects.requireNonNull(detection, "detection").keypoints());
    }

    /**
     * Fits the keypoints, given in {@link FaceKeypoint} order: the first four (eyes, nose, mouth) are required, the
     * ears optional (a list of 4 or 6 points).
     *
     * @throws IllegalArgumentException for another count, or keypoints without 2D extent (coincident/collinear)
     */
    public FaceCamera estimate(List<ImagePoint> keypoints) {
        Objects.requireNonNull(keypoints, "keypoints");
        int n = keypoints.size();
        if (n != 4 && n != FaceKeypoint.COUNT) {
            throw new IllegalArgumentException("need the eyes, nose tip and mouth keypoints (4, or 6 with the ears)"
                    + " in FaceKeypoint order, got " + n);
        }
        double[] q = new double[2 * n];
        for (int k = 0; k < n; k++) {
            q[2 * k] = keypoints.get(k).x();
            q[2 * k + 1] = keypoints.get(k).y();
        }
        requireSpread(q);
        double[] w = java.util.Arrays.copyOf(WEIGHTS, n);
        double[] view = search(q, w);
        // Robustness where it matters: BlazeFace guesses the ears (often hidden). The ear farthest off the fit is
        // dropped, and the fit redone, while it lies beyond EAR_GATE × scale of where the fit puts it.
        for (int round = 4; round < n; round++) {
            double[] s = similarity(view[0], view[1], q, w);
            double[] r = residuals(view[0], view[1], q, s);
            int worst = -1;
            for (int k = 4; k < n; k++) {
                if (w[k] > 0 && r[k] > EAR_GATE * s[0] && (worst < 0 || r[k] > r[worst])) {
                    worst = k;
                }
            }
            if (worst < 0) {
                break;
            }
            w[worst] = 0;
            view = search(q, w);
        }
        double[] s = similarity(view[0], view[1], q, w);
        double weightSum = 0;
        for (int k = 0; k < n; k++) {
            weightSum += w[k];
        }
        ViewAngle angle = ViewAngle.fromFrontal(view[0], view[1]);
        return new FaceCamera(angle, s[1], s[0], s[2], s[3], Math.sqrt(s[4] / weightSum),
                Cameras.lookAt(angle.yaw(), angle.pitch(), radius, pivot, focal));
    }

    /**
     * The camera at given view offsets with a given similarity, as {@link #estimate} would report it: for smoothed
     * per-frame estimates of a video.
     */
    public FaceCamera camera(double yawOffset, double pitchOffset, double roll, double scale, double offsetX,
                             double offsetY, double rmsPixels) {
        ViewAngle angle = ViewAngle.fromFrontal(yawOffset, pitchOffset);
        return new FaceCamera(angle, roll, scale, offsetX, offsetY, rmsPixels,
                Cameras.lookAt(angle.yaw(), angle.pitch(), radius, pivot, focal));
    }

    /** The (yawOffset, pitchOffset) of least weighted cost: coarse grid, then nested grids of halving steps. */
    private double[] search(double[] q, double[] w) {
        double bestYaw = 0;
        double bestPitch = 0;
        double best = Double.POSITIVE_INFINITY;
        for (double y = -YAW_RANGE; y <= YAW_RANGE + 1e-9; y += COARSE_STEP) {
            for (double p = -PITCH_RANGE; p <= PITCH_RANGE + 1e-9; p += COARSE_STEP) {
                double e = similarity(y, p, q, w)[4];
                if (e < best) {
                    best = e;
                    bestYaw = y;
                    bestPitch = p;
                }
            }
        }
        for (double step = COARSE_STEP / 2; step >= FINE_STEP; step /= 2) {
            double cy = bestYaw;
            double cp = bestPitch;
            for (int i = -2; i <= 2; i++) {
                for (int j = -2; j <= 2; j++) {
                    double e = similarity(cy + i * step, cp + j * step, q, w)[4];
                    if (e < best) {
                        best = e;
                        bestYaw = cy + i * step;
                        bestPitch = cp + j * step;
                    }
                }
            }
        }
        return new double[] {bestYaw, bestPitch};
    }

    /** Pixel distance of each keypoint from the template mapped by similarity {@code s} at these angles. */
    private double[] residuals(double yawOffset, double pitchOffset, double[] q, double[] s) {
        int n = q.length / 2;
        double[] uv = project(yawOffset, pitchOffset, n);
        double a = s[0] * Math.cos(s[1]), b = s[0] * Math.sin(s[1]);
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            double x = uv[2 * k] - 0.5, y = uv[2 * k + 1] - 0.5;
            r[k] = Math.hypot(a * x - b * y + s[2] - q[2 * k], b * x + a * y + s[3] - q[2 * k + 1]);
        }
        return r;
    }

    /** Normalised image positions [x0, y0, x1, y1, ...] of the first {@code n} template points. */
    double[] project(double yawOffset, double pitchOffset, int n) {
        float[] c = Cameras.lookAt(Math.PI / 2 + yawOffset, Math.PI / 2 + pitchOffset, radius, pivot, focal);
        double[] uv = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double[] d = {TEMPLATE[k][0] - c[3], TEMPLATE[k][1] - c[7], TEMPLATE[k][2] - c[11]};
            // camera coordinates: cam2world's columns are the camera axes, so local = Rᵀ · d
            double x = c[0] * d[0] + c[4] * d[1] + c[8] * d[2];
            double y = c[1] * d[0] + c[5] * d[1] + c[9] * d[2];
            double z = c[2] * d[0] + c[6] * d[1] + c[10] * d[2];
            uv[2 * k] = focal * x / z + 0.5;
            uv[2 * k + 1] = focal * y / z + 0.5;
        }
        return uv;
    }

    /** The first {@code n} template keypoints seen at these angles in a {@code size}² image (pixels). */
    List<ImagePoint> projectedKeypoints(double yawOffset, double pitchOffset, int n, int size) {
        double[] uv = project(yawOffset, pitchOffset, n);
        List<ImagePoint> points = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) {
            points.add(new ImagePoint(uv[2 * k] * size, uv[2 * k + 1] * size));
        }
        return points;
    }

    /**
     * The weighted least-squares similarity from the template's projection at these angles onto {@code q}:
     * [scale, roll, offsetX, offsetY, cost]. With centred p, q: a = Σw p·q / Σw|p|², b = Σw p×q / Σw|p|².
     */
    private double[] similarity(double yawOffset, double pitchOffset, double[] q, double[] weights) {
        int n = q.length / 2;
        double[] uv = project(yawOffset, pitchOffset, n);
        double sw = 0, pmx = 0, pmy = 0, qmx = 0, qmy = 0;
        for (int k = 0; k < n; k++) {
            double w = weights[k];
            sw += w;
            pmx += w * uv[2 * k];
            pmy += w * uv[2 * k + 1];
            qmx += w * q[2 * k];
            qmy += w * q[2 * k + 1];
        }
        pmx /= sw;
        pmy /= sw;
        qmx /= sw;
        qmy /= sw;
        double pp = 0, dot = 0, cross = 0;
        for (int k = 0; k < n; k++) {
            double w = weights[k];
            double px = uv[2 * k] - pmx, py = uv[2 * k + 1] - pmy;
            double qx = q[2 * k] - qmx, qy = q[2 * k + 1] - qmy;
            pp += w * (px * px + py * py);
            dot += w * (px * qx + py * qy);
            cross += w * (px * qy - py * qx);
        }
        double a = dot / pp;
        double b = cross / pp;
        double cost = 0;
        for (int k = 0; k < n; k++) {
            double px = uv[2 * k] - pmx, py = uv[2 * k + 1] - pmy;
            double rx = a * px - b * py + qmx - q[2 * k];
            double ry = b * px + a * py + qmy - q[2 * k + 1];
            cost += weights[k] * (rx * rx + ry * ry);
        }
        // offset: where the normalised point (0.5, 0.5) lands
        double ox = qmx + a * (0.5 - pmx) - b * (0.5 - pmy);
        double oy = qmy + b * (0.5 - pmx) + a * (0.5 - pmy);
        return new double[] {Math.hypot(a, b), Math.atan2(b, a), ox, oy, cost};
    }

    /** Rejects keypoints whose scatter has (almost) no extent in some direction: coincident or on one line. */
    private static void requireSpread(double[] q) {
        int n = q.length / 2;
        double mx = 0, my = 0;
        for (int k = 0; k < n; k++) {
            mx += q[2 * k] / n;
            my += q[2 * k + 1] / n;
        }
        double sxx = 0, syy = 0, sxy = 0;
        for (int k = 0; k < n; k++) {
            double dx = q[2 * k] - mx, dy = q[2 * k + 1] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        double trace = sxx + syy;
        double det = sxx * syy - sxy * sxy;
        double minor = trace / 2 - Math.sqrt(Math.max(0, trace * trace / 4 - det));
        // smallest principal spread under 1 % of the total: no pose is recoverable
        if (!(trace > 0) || minor < 1e-2 * trace) {
            throw new IllegalArgumentException("face keypoints are degenerate (coincident or collinear), no camera"
                    + " can be estimated: " + java.util.Arrays.toString(q));
        }
    }
}
