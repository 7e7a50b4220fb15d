package org.pv3dfarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.worker.WorkerConfig;
import org.pv3dfarm.worker.WorkerHealthServer;

/** {@code docker-compose.yml}, with its anchors and merge keys resolved as Compose resolves them. */
class ComposeFileTest {

    private static final Path ROOT = KubernetesManifestsTest.ROOT;
    private static final Path API_PROPERTIES = ROOT.resolve("job-api/src/main/resources/application.properties");
    /** {@code ${NAME:-default}}: Compose interpolation, here with its default. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}");
    /** A topic line of kafka-init's script: {@code t NAME PARTITIONS CONFIG}. */
    private static final Pattern TOPIC_LINE = Pattern.compile("^\\s*t (\\S+)\\s+(\\d+)\\s+(\\S+)$", Pattern.MULTILINE);

    private final ObjectNode services = (ObjectNode) Yaml.document(ROOT.resolve("docker-compose.yml"))
            .get("services");

    private JsonNode service(String name) {
        JsonNode service = services.get(name);
        assertTrue(service != null && service.isObject(), "service " + name);
        return service;
    }

    /** A service's environment with interpolations at their defaults. */
    private Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        service(name).path("environment").properties().forEach(e -> {
            Matcher m = INTERPOLATION.matcher(e.getValue().asText());
            env.put(e.getKey(), m.replaceAll(r -> Matcher.quoteReplacement(r.group(1))));
        });
        return env;
    }

    @Test
    void imagesAreTheOnesTheBuildMakesAndTheKafkaTheProjectUses() {
        ProjectImages images = ProjectImages.read(ROOT);

        assertEquals(images.jobApi(), service("job-api").path("image").asText());
        assertEquals(images.gpuWorker(), service("render-worker").path("image").asText());
        assertEquals(images.worker(), service("render-worker-cpu").path("image").asText());
        assertEquals("apache/kafka:" + images.kafkaVersion(), service("kafka").path("image").asText());
        assertEquals(service("kafka").path("image"), service("kafka-init").path("image"));
    }

    @Test
    void workersGetOnlyVariablesTheyReadWithValuesTheyAccept() {
        for (String name : List.of("render-worker", "render-worker-cpu")) {
            Map<String, String> env = environment(name);
            assertEquals(List.of(), env.keySet().stream().filter(v -> !AppSettings.workerReads(v)).toList(), name);
            WorkerConfig config = WorkerConfig.fromEnvironment(env);
            assertEquals("kafka:9092", config.kafkaBootstrapServers(), name);
            assertEquals(8081, config.healthPort(), name);
            assertTrue(Duration.parse("PT" + service(name).path("stop_grace_period").asText().toUpperCase())
                    .compareTo(config.shutdownGrace().plusSeconds(20)) >= 0, name + ": compose waits for the drain");
        }
        assertEquals("CUDA", WorkerConfig.fromEnvironment(environment("render-worker")).executionProvider().name());
        assertEquals("CPU", WorkerConfig.fromEnvironment(environment("render-worker-cpu")).executionProvider().name());
    }

    @Test
    void theApiGetsOnlyVariablesItsConfigurationHas() {
        Map<String, String> env = environment("job-api");
        assertEquals(List.of(), env.keySet().stream().filter(v -> !AppSettings.apiReads(v, API_PROPERTIES)).toList());
        assertEquals("kafka:9092", env.get("PV3D_KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals(environment("render-worker").get("PV3D_S3_SECRET_KEY"), env.get("PV3D_S3_SECRET_KEY"));
        assertEquals(env.get("PV3D_S3_ACCESS_KEY"), environment("minio").get("MINIO_ROOT_USER"));
    }

    @Test
    void theGpuWorkerReservesAGpuAndTheCpuWorkerIsAProfile() {
        JsonNode devices = service("render-worker").path("deploy").path("resources").path("reservations")
                .path("devices");
        assertEquals("nvidia", devices.get(0).path("driver").asText());
        assertTrue(devices.get(0).path("capabilities").toString().contains("\"gpu\""));
        assertEquals("[\"cpu\"]", service("render-worker-cpu").path("profiles").toString());
        assertTrue(service("render-worker-cpu").path("deploy").isMissingNode());
    }

    @Test
    void longRunningServicesHaveHealthChecksAndWaitForWhatTheyNeed() {
        for (Map.Entry<String, JsonNode> entry : services.properties()) {
            boolean oneShot = entry.getKey().endsWith("-init");
            assertEquals(!oneShot, entry.getValue().has("healthcheck"), entry.getKey());
        }
        for (String name : List.of("job-api", "render-worker", "render-worker-cpu")) {
            JsonNode dependsOn = service(name).path("depends_on");
            assertEquals("service_completed_successfully", dependsOn.path("kafka-init").path("condition").asText());
            assertEquals("service_completed_successfully", dependsOn.path("minio-init").path("condition").asText());
        }
        assertEquals("service_healthy", service("kafka-init").path("depends_on").path("kafka").path("condition")
                .asText());
    }

    /** The worker's health check is run as written (on bash, as in the image) against a real health endpoint. */
    @Test
    void theWorkerHealthCheckCommandPassesOnlyWhenTheWorkerIsReady() throws Exception {
        JsonNode test = service("render-worker").path("healthcheck").path("test");
        assertEquals("[\"CMD\",\"bash\",\"-c\"]", "[" + test.get(0) + "," + test.get(1) + "," + test.get(2) + "]");
        String command = test.get(3).asText();
        assertTrue(command.contains("/dev/tcp/localhost/8081") && command.contains(WorkerHealthServer.READY), command);

        ReadyWorker worker = new ReadyWorker();
        try (WorkerHealthServer server = WorkerHealthServer.start(0, worker)) {
            String local = command.replace("/dev/tcp/localhost/8081", "/dev/tcp/localhost/" + server.port());
            assertEquals(0, bash(local), "healthy while ready");
            worker.ready = false;
            assertEquals(1, bash(local), "unhealthy while draining");
        }
    }

    private static int bash(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), command);
        return process.exitValue();
    }

    @Test
    void kafkaInitCreatesEveryTopicWithTheKubernetesPartitionsAndPolicies() {
        String script = service("kafka-init").path("command").get(0).asText();
        Map<String, Integer> compose = new TreeMap<>();
        Set<String> compacted = new TreeSet<>();
        Matcher line = TOPIC_LINE.matcher(script);
        while (line.find()) {
            compose.put(line.group(1), Integer.parseInt(line.group(2)));
            if (line.group(3).contains("compact")) {
                compacted.add(line.group(1));
            }
        }
        Map<String, Integer> kubernetes = new TreeMap<>();
        for (ObjectNode topic : new Manifests(Kustomize.build(ROOT.resolve("k8s/base"))).all("KafkaTopic")) {
            kubernetes.put(topic.path("metadata").path("name").asText(), topic.path("spec").path("partitions")
                    .asInt());
        }
        assertEquals(kubernetes, compose);
        assertEquals(new TreeSet<>(Topics.all()), compose.keySet());
        assertEquals(Set.of(Topics.EVENTS, Topics.WEBHOOK_DEAD_LETTER), compacted);
        assertTrue(script.contains("--entity-name pv3d.events --add-config retention.ms=604800000,"
                + "min.compaction.lag.ms=86400000"), script);
        List<String> missing = new ArrayList<>();
        for (String name : List.of("kafka", "minio", "job-api", "render-worker")) {
            if (!services.has(name)) {
                missing.add(name);
            }
        }
        assertFalse(!missing.isEmpty(), "services missing: " + missing);
    }
}
