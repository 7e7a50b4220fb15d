package org.pv3dfarm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code kustomize build} this repository's {@code k8s/} uses, so tests check what {@code kubectl
 * apply -k} would apply without kubectl: {@code resources} (files, or directories with a kustomization),
 * {@code namespace}, {@code images} ({@code name}, {@code newName}, {@code newTag}) and {@code patches} with a
 * {@code path} to strategic-merge patches, matched by kind and name. Any other field is refused, so a
 * kustomization never uses something these tests would silently skip.
 *
 * <p>Strategic merge, as far as these manifests need it: mappings merge key by key; lists of mappings that all
 * have a {@code name} (containers, env, ports, volumes) merge element by element on it; other lists and scalars
 * are replaced by the patch's.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "images",
            "patches");
    /** Resources without a namespace of their own. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private Kustomize() {
    }

    /** The resources the kustomization in {@code directory} produces, in order. */
    static List<ObjectNode> build(Path directory) {
        ObjectNode kustomization = Yaml.document(directory.resolve("kustomization.yaml"));
        for (Iterator<String> names = kustomization.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SUPPORTED.contains(name)) {
                throw new IllegalArgumentException(directory + ": kustomization field '" + name
                        + "' is not understood by the tests' Kustomize");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = directory.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(build(path));
            } else {
                resources.addAll(Yaml.documents(path));
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalArgumentException(directory + ": only patches with a path alone are understood: "
                        + patch);
            }
            for (ObjectNode document : Yaml.documents(directory.resolve(patch.get("path").asText()))) {
                target(resources, document, directory).setAll(merge(target(resources, document, directory), document));
            }
        }
        for (JsonNode image : kustomization.path("images")) {
            renameImages(resources, image);
        }
        if (kustomization.has("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            for (ObjectNode resource : resources) {
                if (!CLUSTER_SCOPED.contains(resource.path("kind").asText())) {
                    ((ObjectNode) resource.with("metadata")).put("namespace", namespace);
                }
            }
        }
        return resources;
    }

    private static ObjectNode target(List<ObjectNode> resources, ObjectNode patch, Path directory) {
        String kind = patch.path("kind").asText();
        String name = patch.path("metadata").path("name").asText();
        return resources.stream()
                .filter(r -> r.path("kind").asText().equals(kind) && r.path("metadata").path("name").asText()
                        .equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(directory + ": a patch targets " + kind + "/" + name
                        + ", which no resource is"));
    }

    /** {@code base} with {@code patch} merged in (neither is changed). */
    static ObjectNode merge(ObjectNode base, ObjectNode patch) {
        ObjectNode merged = base.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = merged.get(field.getKey());
            JsonNode update = field.getValue();
            if (current instanceof ObjectNode currentObject && update instanceof ObjectNode updateObject) {
                merged.set(field.getKey(), merge(currentObject, updateObject));
            } else if (current instanceof ArrayNode currentList && update instanceof ArrayNode updateList
                    && namedElements(currentList) && namedElements(updateList)) {
                merged.set(field.getKey(), mergeByName(currentList, updateList));
            } else {
                merged.set(field.getKey(), update.deepCopy());
            }
        }
        return merged;
    }

    private static boolean namedElements(ArrayNode list) {
        for (JsonNode element : list) {
            if (!element.isObject() || !element.has("name")) {
                return false;
            }
        }
        return true;
    }

    private static ArrayNode mergeByName(ArrayNode base, ArrayNode patch) {
        ArrayNode merged = base.deepCopy();
        for (JsonNode update : patch) {
            boolean found = false;
            for (int i = 0; i < merged.size(); i++) {
                if (merged.get(i).get("name").equals(update.get("name"))) {
                    merged.set(i, merge((ObjectNode) merged.get(i), (ObjectNode) update));
                    found = true;
                }
            }
            if (!found) {
                merged.add(update.deepCopy());
            }
        }
        return merged;
    }

    /** Kustomize's image transformer: {@code name[:tag]} images become {@code newName[:newTag]}. */
    private static void renameImages(List<ObjectNode> resources, JsonNode image) {
        String name = image.path("name").asText();
        for (ObjectNode resource : resources) {
            for (JsonNode container : resource.path("spec").path("template").path("spec").path("containers")) {
                String reference = container.path("image").asText();
                int colon = reference.lastIndexOf(':');
                String repository = colon > reference.lastIndexOf('/') ? reference.substring(0, colon) : reference;
                String tag = colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : null;
                if (!repository.equals(name)) {
                    continue;
                }
                String newName = image.path("newName").asText(repository);
                String newTag = image.path("newTag").asText(tag);
                ((ObjectNode) container).put("image", newTag == null ? newName : newName + ":" + newTag);
            }
        }
    }
}
