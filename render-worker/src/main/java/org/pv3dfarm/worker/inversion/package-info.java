/**
 * Portrait inversion: the appearance code w of a prepared face.
 *
 * <p>{@link org.pv3dfarm.worker.inversion.PortraitInverter} fits w to an
 * {@link org.pv3dfarm.worker.inversion.InversionTarget} (from a {@link org.pv3dfarm.worker.face.PreparedPortrait},
 * or any target, mask and camera) with the model's batch-1 inversion gradient graph
 * ({@link org.pv3dfarm.model.Inverter}, L-BFGS by default), from the average w, reporting
 * {@link org.pv3dfarm.worker.inversion.InversionProgress} every few steps, and returns a
 * {@link org.pv3dfarm.worker.inversion.PortraitInversion}: w, its render and the {@link
 * org.pv3dfarm.worker.inversion.Psnr} on the crop. Several targets run as parallel batch-1 inversions
 * ({@code invertAll}).
 */
package org.pv3dfarm.worker.inversion;
