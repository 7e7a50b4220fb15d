package org.pv3dfarm.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.pv3dfarm.protocol.ModelLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads the validation-relevant part of a model manifest ({@code name}, {@code config.z_dim},
 * {@code config.motion_dim}, {@code config.output_resolution}); the rest of the manifest is the worker's business.
 */
final class ModelManifests {

    private ModelManifests() {
    }

    static ModelLimits limitsOf(Path manifest) {
        try {
            JsonNode root = new ObjectMapper().readTree(manifest.toFile());
            JsonNode config = root.path("config");
            return new ModelLimits(text(root, "name", manifest), integer(config, "z_dim", manifest),
                    integer(config, "motion_dim", manifest), integer(config, "output_resolution", manifest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model manifest " + manifest, e);
        }
    }

    private static String text(JsonNode node, String field, Path manifest) {
        if (!node.path(field).isTextual()) {
            throw new IllegalArgumentException(manifest + ": " + field + " must be a string");
        }
        return node.get(field).asText();
    }

    private static int integer(JsonNode node, String field, Path manifest) {
        if (!node.path(field).canConvertToInt() || !node.path(field).isIntegralNumber()) {
            throw new IllegalArgumentException(manifest + ": config." + field + " must be an integer");
        }
        return node.get(field).asInt();
    }
}
