package org.pv3dfarm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A set of rendered Kubernetes resources, with the look-ups the checks need. */
record Manifests(List<ObjectNode> resources) {

    List<ObjectNode> all(String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    ObjectNode one(String kind, String name) {
        return all(kind).stream().filter(r -> r.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    /** The (first) container of a Deployment. */
    static JsonNode container(ObjectNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    /**
     * The environment a container gets: its {@code envFrom} ConfigMaps and Secrets (which must exist), then its
     * {@code env}, later ones winning as in Kubernetes.
     */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                putAll(environment, one("ConfigMap", source.get("configMapRef").get("name").asText()).path("data"),
                        false);
            } else if (source.has("secretRef")) {
                ObjectNode secret = one("Secret", source.get("secretRef").get("name").asText());
                putAll(environment, secret.path("data"), true);
                putAll(environment, secret.path("stringData"), false);
            } else {
                throw new AssertionError("envFrom of an unknown kind: " + source);
            }
        }
        for (JsonNode variable : container.path("env")) {
            if (!variable.has("value")) {
                throw new AssertionError("env " + variable.path("name").asText() + " has no plain value");
            }
            environment.put(variable.get("name").asText(), variable.get("value").asText());
        }
        return environment;
    }

    private static void putAll(Map<String, String> environment, JsonNode values, boolean base64) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = values.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String value = field.getValue().asText();
            environment.put(field.getKey(), base64
                    ? new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8) : value);
        }
    }

    /** The port number a probe names, by number or by the container's port name. */
    static int port(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.get("containerPort").asInt();
            }
        }
        throw new AssertionError("the container declares no port named " + port);
    }

    /** Whether {@code labels} has every pair of {@code selector}. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = selector.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().equals(labels.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
