package org.pv3dfarm.model;

import java.util.Map;

/**
 * The architecture sizes from {@code config} in model.json that the runtime relies on. Every other config entry
 * (layer widths, learning-rate multipliers...) stays available, untyped, in {@link #entries()}.
 *
 * @param zDim appearance latent size
 * @param wDim intermediate latent size
 * @param cDim camera vector size (25)
 * @param motionDim motion latent size
 * @param numWs how many copies of w the synthesis network takes
 * @param planeResolution tri-plane side R
 * @param planeChannels channels C per plane
 * @param neuralResolution side N of the rendered feature image, raw RGB and depth
 * @param outputResolution side O of the super-resolved image
 * @param featureChannels channels of the rendered feature image
 * @param samplesUniform coarse samples per ray
 * @param samplesImportance fine samples per ray
 * @param rayStart near bound of the rays (world units)
 * @param rayEnd far bound of the rays
 * @param boxWarp side of the cube the tri-planes span
 * @param entries every config entry as read (numbers, strings, lists)
 */
public record ModelConfig(int zDim, int wDim, int cDim, int motionDim, int numWs, int planeResolution,
                          int planeChannels, int neuralResolution, int outputResolution, int featureChannels,
                          int samplesUniform, int samplesImportance, double rayStart, double rayEnd, double boxWarp,
                          Map<String, Object> entries) {

    public ModelConfig {
        entries = Map.copyOf(entries);
        if (cDim != Cameras.CAMERA_SIZE) {
            throw new IllegalArgumentException("config.c_dim must be " + Cameras.CAMERA_SIZE + ", was " + cDim);
        }
        if (!(rayEnd > rayStart) || !(rayStart > 0)) {
            throw new IllegalArgumentException("config.ray_start/ray_end must satisfy 0 < start < end, were "
                    + rayStart + ", " + rayEnd);
        }
    }
}
