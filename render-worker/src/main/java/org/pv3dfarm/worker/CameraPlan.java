package org.pv3dfarm.worker;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.FloatTensor;

/**
 * Stage 2's result: every camera and time a generate job renders with.
 *
 * @param frames       frames per view
 * @param conditioning the 25-float camera the mapping network is conditioned on, once for the whole job (the
 *                     model's canonical frontal camera); the record keeps the array, do not change it
 * @param times        the motion time {@code t} of each frame ({@code frames} floats); kept, do not change it
 * @param clipFrames   the model's clip length the times cycle over
 * @param views        the render cameras, one plan per view in request order
 * @param conditioningView the view whose camera conditions the mapping network frame by frame, or {@code null}
 *                     for the canonical camera once per job ({@code conditioning})
 */
public record CameraPlan(int frames, float[] conditioning, float[] times, int clipFrames, List<ViewPlan> views,
        Integer conditioningView) {

    /** A plan conditioned on one camera for the whole job. */
    public CameraPlan(int frames, float[] conditioning, float[] times, int clipFrames, List<ViewPlan> views) {
        this(frames, conditioning, times, clipFrames, views, null);
    }

    public CameraPlan {
        Objects.requireNonNull(conditioning, "conditioning");
        Objects.requireNonNull(times, "times");
        views = List.copyOf(Objects.requireNonNull(views, "views"));
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, was " + frames);
        }
        if (conditioning.length != Cameras.CAMERA_SIZE) {
            throw new IllegalArgumentException("conditioning must hold " + Cameras.CAMERA_SIZE + " floats");
        }
        if (times.length != frames) {
            throw new IllegalArgumentException("times must hold one value per frame (" + frames + "), holds "
                    + times.length);
        }
        if (views.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one view");
        }
        if (conditioningView != null && (conditioningView < 0 || conditioningView >= views.size())) {
            throw new IllegalArgumentException("conditioningView must name one of the " + views.size()
                    + " views, was " + conditioningView);
        }
        for (int i = 0; i < views.size(); i++) {
            if (views.get(i).index() != i || views.get(i).frames() != frames) {
                throw new IllegalArgumentException("view " + i + " must have index " + i + " and " + frames
                        + " frames");
            }
        }
    }

    /** The times of frames {@code [from, to)} as a {@code [to - from]} tensor. */
    public FloatTensor times(int from, int to) {
        Objects.checkFromToIndex(from, to, frames);
        return FloatTensor.of(Arrays.copyOfRange(times, from, to), to - from);
    }

    /** Whether the mapping network is conditioned frame by frame (on {@link #conditioningView()}'s cameras). */
    public boolean conditionedPerFrame() {
        return conditioningView != null;
    }

    /**
     * The conditioning cameras of frames {@code [from, to)}: {@code [to - from, 25]}, the conditioning view's
     * cameras when conditioned per frame, else the job's one camera repeated.
     */
    public FloatTensor conditioning(int from, int to) {
        Objects.checkFromToIndex(from, to, frames);
        if (conditioningView != null) {
            return views.get(conditioningView).cameras(from, to);
        }
        float[] data = new float[(to - from) * Cameras.CAMERA_SIZE];
        for (int i = 0; i < to - from; i++) {
            System.arraycopy(conditioning, 0, data, i * Cameras.CAMERA_SIZE, Cameras.CAMERA_SIZE);
        }
        return FloatTensor.of(data, to - from, Cameras.CAMERA_SIZE);
    }

    /** The conditioning camera as a {@code [1, 25]} tensor. */
    public FloatTensor conditioningTensor() {
        return FloatTensor.of(conditioning.clone(), 1, Cameras.CAMERA_SIZE);
    }
}
