package org.pv3dfarm.model;

/**
 * {@code latent_distribution} of model.json: where to draw new appearance and motion codes from.
 *
 * @param z the appearance latent
 * @param zMotion the motion latent
 */
public record LatentDistribution(GaussianLatent z, GaussianLatent zMotion) {
}
