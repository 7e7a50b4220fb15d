package org.pv3dfarm.model;

/**
 * {@code conventions} of model.json.
 *
 * @param camera camera placement and intrinsics
 * @param time frame times
 * @param image the image convention as text (NCHW float32 in [-1, 1], RGB)
 * @param depth the depth convention as text
 */
public record Conventions(CameraConvention camera, TimeConvention time, String image, String depth) {
}
