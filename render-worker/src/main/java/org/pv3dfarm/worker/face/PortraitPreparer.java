package org.pv3dfarm.worker.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.pv3dfarm.worker.RgbImage;

/**
 * Turns a decoded picture into an inversion target: detect faces ({@link FaceDetector}) → pick one
 * ({@link FaceSelection}) → estimate the camera from its keypoints ({@link FaceCameraFit}) → cut the aligned,
 * roll-free crop at the model's output resolution ({@link AlignedCrop}) → target [1, 3, O, O] in [-1, 1] and mask.
 *
 * <p>For a video every frame is detected on its own; a frame without a face takes its nearest detected neighbour's
 * face. The camera's yaw and pitch and the crop's centre, log-scale and roll are then smoothed over time by a
 * {@link CentredMovingAverage}, so crops and cameras do not jitter with the detector's noise.
 *
 * <p>Thread-safe if its detector is (BlazeFace is).
 */
public final class PortraitPreparer {

    /** Smoothing radius for video frames by default: 2 frames each side. */
    public static final int DEFAULT_SMOOTHING_RADIUS = 2;

    private final FaceDetector detector;
    private final FaceCameraFit fit;
    private final int resolution;

    /** @param resolution the model's output resolution O (the crop's side) */
    public PortraitPreparer(FaceDetector detector, FaceCameraFit fit, int resolution) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.fit = Objects.requireNonNull(fit, "fit");
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be at least 1, was " + resolution);
        }
        this.resolution = resolution;
    }

    /** With PV3D's camera convention ({@link FaceCameraFit#pv3d()}). */
    public PortraitPreparer(FaceDetector detector, int resolution) {
        this(detector, FaceCameraFit.pv3d(), resolution);
    }

    public int resolution() {
        return resolution;
    }

    /** The face of one picture, prepared. */
    public PreparedPortrait prepare(RgbImage picture, FaceSelection selection) throws FacePreparationException {
        Detection face = select(detect(picture), selection, picture);
        return prepared(picture, face, estimate(face));
    }

    /** A video's frames, prepared with {@link #DEFAULT_SMOOTHING_RADIUS}. */
    public PreparedVideo prepareVideo(List<RgbImage> frames, FaceSelection selection) throws FacePreparationException {
        return prepareVideo(frames, selection, new CentredMovingAverage(DEFAULT_SMOOTHING_RADIUS));
    }

    /**
     * A video's frames, prepared and smoothed by {@code smoothing}.
     *
     * @throws FacePreparationException when no frame has a face, or one has several under {@link FaceSelection#SINGLE}
     */
    public PreparedVideo prepareVideo(List<RgbImage> frames, FaceSelection selection, CentredMovingAverage smoothing)
            throws FacePreparationException {
        int n = frames.size();
        if (n == 0) {
            throw new IllegalArgumentException("no frames to prepare");
        }
        Detection[] faces = new Detection[n];
        FaceCamera[] cameras = new FaceCamera[n];
        int detected = 0;
        for (int i = 0; i < n; i++) {
            List<Detection> found = detect(frames.get(i));
            if (!found.isEmpty()) {
                try {
                    faces[i] = select(found, selection, frames.get(i));
                    cameras[i] = estimate(faces[i]);
                    detected++;
                } catch (FacePreparationException e) {
                    if (e.reason() == FacePreparationException.Reason.SEVERAL_FACES) {
                        throw new FacePreparationException(e.reason(), "frame " + i + ": " + e.getMessage());
                    }
                    faces[i] = null; // an unusable face counts as none in this frame
                }
            }
        }
        if (detected == 0) {
            throw new FacePreparationException(FacePreparationException.Reason.NO_FACE, "no face found in any of the "
                    + n + " frames");
        }
        fillFromNearest(faces, cameras);
        double[][] series = new double[6][n];
        for (int i = 0; i < n; i++) {
            FaceCamera c = cameras[i];
            double[] v = {c.yawOffset(), c.pitchOffset(), c.roll(), Math.log(c.scale()), c.offsetX(), c.offsetY()};
            for (int k = 0; k < 6; k++) {
                series[k][i] = v[k];
            }
        }
        for (int k = 0; k < 6; k++) {
            series[k] = smoothing.apply(series[k]);
        }
        List<PreparedPortrait> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FaceCamera smooth = fit.camera(series[0][i], series[1][i], series[2][i], Math.exp(series[3][i]),
                    series[4][i], series[5][i], cameras[i].rmsPixels());
            out.add(prepared(frames.get(i), faces[i], smooth));
        }
        return new PreparedVideo(out, detected);
    }

    private List<Detection> detect(RgbImage picture) throws FacePreparationException {
        Objects.requireNonNull(picture, "picture");
        try {
            return detector.detect(picture);
        } catch (InvalidImageException e) {
            throw new FacePreparationException(FacePreparationException.Reason.NO_FACE, e.getMessage(), e);
        }
    }

    /** The face the policy picks; none, or several under SINGLE, fail. */
    static Detection select(List<Detection> faces, FaceSelection selection, RgbImage picture)
            throws FacePreparationException {
        if (faces.isEmpty()) {
            throw new FacePreparationException(FacePreparationException.Reason.NO_FACE, "no face found in the "
                    + picture.width() + "x" + picture.height() + " picture");
        }
        if (faces.size() > 1 && selection == FaceSelection.SINGLE) {
            throw new FacePreparationException(FacePreparationException.Reason.SEVERAL_FACES, faces.size()
                    + " faces found in the picture where one was expected (ask for the largest face to use it)");
        }
        return faces.stream().max(Comparator.comparingDouble(d -> d.box().area())).orElseThrow();
    }

    private FaceCamera estimate(Detection face) throws FacePreparationException {
        try {
            return fit.estimate(face);
        } catch (IllegalArgumentException e) {
            throw new FacePreparationException(FacePreparationException.Reason.UNUSABLE_FACE, "the face found gives"
                    + " no camera: " + e.getMessage(), e);
        }
    }

    private PreparedPortrait prepared(RgbImage picture, Detection face, FaceCamera camera)
            throws FacePreparationException {
        AlignedCrop crop;
        try {
            crop = AlignedCrop.of(camera);
        } catch (IllegalArgumentException e) {
            throw new FacePreparationException(FacePreparationException.Reason.UNUSABLE_FACE, "the face found gives"
                    + " no crop: " + e.getMessage(), e);
        }
        AlignedCrop.Cut cut = crop.cut(picture, resolution);
        return new PreparedPortrait(face, camera, crop, cut.image(), cut.target(), cut.mask());
    }

    /** Frames without a face take the nearest detected frame's face and camera (the earlier one on a tie). */
    private static void fillFromNearest(Detection[] faces, FaceCamera[] cameras) {
        int n = faces.length;
        Detection[] f = faces.clone();
        FaceCamera[] c = cameras.clone();
        for (int i = 0; i < n; i++) {
            if (f[i] != null) {
                continue;
            }
            for (int d = 1; d < n; d++) {
                int j = i - d >= 0 && f[i - d] != null ? i - d : i + d < n && f[i + d] != null ? i + d : -1;
                if (j >= 0) {
                    faces[i] = f[j];
                    cameras[i] = c[j];
                    break;
                }
            }
        }
    }
}
