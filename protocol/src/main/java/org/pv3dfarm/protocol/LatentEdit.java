package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One move in latent space: {@code w' = w + strength * direction}, with the direction named by the model.
 *
 * @param direction the direction's name, e.g. {@code smile} or {@code age}, required
 * @param strength  how far to move, in units of the direction's length, within [-10, 10]; required
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LatentEdit(String direction, Double strength) {
}
