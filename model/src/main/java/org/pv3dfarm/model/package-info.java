/**
 * The PV3D model runtime: loads an exported model (a {@code model.json} manifest plus ONNX graphs) and runs it
 * in ONNX Runtime.
 *
 * <ul>
 *   <li>{@link org.pv3dfarm.model.ModelLocator} finds the model ({@code pv3d.model.dir}, {@code PV3D_MODEL_DIR},
 *       or the committed tiny model on the classpath) and {@link org.pv3dfarm.model.ModelManifest#load} verifies
 *       it against the contract and its checksums;</li>
 *   <li>{@link org.pv3dfarm.model.Pv3dModel} runs the forward graphs (mapping, synthesis, render,
 *       super-resolution, density) and hands out the gradient runners
 *       ({@link org.pv3dfarm.model.InversionGradient}, {@link org.pv3dfarm.model.ReconstructionGradient});</li>
 *   <li>{@link org.pv3dfarm.model.Cameras}, {@link org.pv3dfarm.model.Trajectories} and
 *       {@link org.pv3dfarm.model.ClipTime} build the camera and time inputs in the model's conventions;</li>
 *   <li>{@link org.pv3dfarm.model.Inverter} fits w to an image with {@link org.pv3dfarm.model.Adam}.</li>
 * </ul>
 * Tensors are {@link org.pv3dfarm.model.FloatTensor}s (row-major float32).
 */
package org.pv3dfarm.model;
