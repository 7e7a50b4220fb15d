package org.pv3dfarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered overlays against the Kubernetes API's and KEDA's JSON schemas, through the npm packages
 * {@code kubernetes-models} and {@code @kubernetes-models/keda} ({@code deploy/schema/validate.mjs}): types,
 * required fields and enums. Strimzi's {@code KafkaTopic} has no schema package there and is left unchecked.
 * Needs Node.js and npm with the npm registry (installed once into target/); skipped where they are absent.
 */
class KubernetesSchemaTest {

    private static final Path SOURCE = KubernetesManifestsTest.ROOT.resolve("deploy/schema");
    private static final Path WORK = KubernetesManifestsTest.ROOT.resolve("deploy/target/schema-check");

    @BeforeAll
    static void installValidator() throws Exception {
        assumeTrue(run(List.of("node", "--version"), Path.of(".")).exit == 0, "Node.js is not installed");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/kubernetes-models"))) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), WORK);
            assumeTrue(install.exit == 0, "npm could not install the schema packages: " + install.output);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Path directory) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.toString()); // not installed
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(process.exitValue(), output);
    }

    private static Result validate(List<ObjectNode> resources, String name) throws Exception {
        Path file = WORK.resolve(name + ".json");
        Yaml.MAPPER.writeValue(file.toFile(), resources);
        return run(List.of("node", "validate.mjs", file.toString()), WORK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyResourceFitsItsSchema(String overlay) throws Exception {
        List<ObjectNode> resources = Kustomize.build(KubernetesManifestsTest.ROOT.resolve("k8s/overlays")
                .resolve(overlay));

        Result result = validate(resources, overlay);

        assertEquals(0, result.exit, result.output);
        List<String> expected = new ArrayList<>();
        for (ObjectNode resource : resources) {
            String kind = resource.path("kind").asText();
            expected.add((kind.equals("KafkaTopic") ? "unchecked " : "valid ") + resource.path("apiVersion").asText()
                    + " " + kind + " " + resource.path("metadata").path("name").asText());
        }
        List<String> lines = result.output.lines().map(l -> l.startsWith("unchecked") ? l.replace(
                " no schema here", "") : l).toList();
        assertEquals(expected, lines, "every resource was checked, Strimzi's topics excepted");
    }

    @Test
    void aWrongTypeIsReported() throws Exception {
        List<ObjectNode> resources = Kustomize.build(KubernetesManifestsTest.ROOT.resolve("k8s/overlays/gpu"));
        ObjectNode deployment = new Manifests(resources).one("Deployment", "render-worker");
        ((ObjectNode) deployment.get("spec")).put("replicas", "two");
        ObjectNode scaled = new Manifests(resources).one("ScaledObject", "render-worker");
        ((ObjectNode) scaled.get("spec")).put("minReplicaCount", "none");

        Result result = validate(resources, "broken");

        assertEquals(1, result.exit, result.output);
        assertTrue(result.output.contains("invalid apps/v1 Deployment render-worker"), result.output);
        assertTrue(result.output.contains("replicas must be integer"), result.output);
        assertTrue(result.output.contains("invalid keda.sh/v1alpha1 ScaledObject render-worker"), result.output);
    }
}
