package org.pv3dfarm.protocol;

/**
 * What validation needs to know about one model, taken from its manifest ({@code config.z_dim},
 * {@code config.motion_dim}, {@code config.output_resolution}).
 *
 * @param name             the model's name
 * @param zDim             length of the appearance code {@code z}
 * @param motionDim        length of the motion code {@code z_motion}
 * @param outputResolution the native output size in pixels (square)
 */
public record ModelLimits(String name, int zDim, int motionDim, int outputResolution) {

    public ModelLimits {
        Checks.requiredText(name, "name");
        Checks.atLeast(zDim, 1, "z_dim");
        Checks.atLeast(motionDim, 1, "motion_dim");
        Checks.atLeast(outputResolution, 1, "output_resolution");
    }
}
