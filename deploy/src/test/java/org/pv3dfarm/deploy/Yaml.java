package org.pv3dfarm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads YAML files (several documents each, as Kubernetes manifests have) as Jackson trees. SnakeYAML parses,
 * so anchors, aliases and merge keys ({@code <<: *worker}, as docker-compose.yml uses them) are resolved as
 * Compose resolves them; Jackson's own YAML parser would keep {@code <<} as a key.
 */
final class Yaml {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Yaml() {
    }

    /** Every non-empty document of the file, each a mapping. */
    static List<ObjectNode> documents(Path file) {
        List<ObjectNode> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object value : new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (value == null) {
                    continue;
                }
                JsonNode document = MAPPER.valueToTree(value);
                if (!(document instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(file + ": a document is not a mapping: " + document);
                }
                documents.add(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return documents;
    }

    /** The file's only document. */
    static ObjectNode document(Path file) {
        List<ObjectNode> documents = documents(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " has " + documents.size() + " documents, expected one");
        }
        return documents.get(0);
    }
}
