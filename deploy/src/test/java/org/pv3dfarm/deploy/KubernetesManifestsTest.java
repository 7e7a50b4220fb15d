package org.pv3dfarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.Priority;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.ValidationLimits;
import org.pv3dfarm.worker.WorkerConfig;
import org.pv3dfarm.worker.WorkerHealthServer;

/**
 * {@code k8s/} as {@code kubectl apply -k k8s/overlays/OVERLAY} would apply it, checked against what the project
 * builds and what its applications read.
 */
class KubernetesManifestsTest {

    static final Path ROOT = Path.of(System.getProperty("pv3d.repo.root", "..")).toAbsolutePath().normalize();
    private static final Path API_PROPERTIES = ROOT.resolve("job-api/src/main/resources/application.properties");
    /** What the worker needs beyond its drain, between its preStop returning late and SIGKILL. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(20);

    private static Manifests render(String overlay) {
        return new Manifests(Kustomize.build(ROOT.resolve("k8s/overlays").resolve(overlay)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void imagesAreTheOnesTheBuildMakes(String overlay) {
        Manifests farm = render(overlay);
        ProjectImages images = ProjectImages.read(ROOT);

        assertEquals(images.jobApi(), Manifests.container(farm.one("Deployment", "job-api")).get("image").asText());
        assertEquals(overlay.equals("gpu") ? images.gpuWorker() : images.worker(),
                Manifests.container(farm.one("Deployment", "render-worker")).get("image").asText());
        assertEquals(Set.of("job-api", "render-worker"), farm.all("Deployment").stream()
                .map(d -> d.get("metadata").get("name").asText()).collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void theWorkerGetsOnlyVariablesItReadsWithValuesItAccepts(String overlay) {
        Manifests farm = render(overlay);
        Map<String, String> env = farm.environment(Manifests.container(farm.one("Deployment", "render-worker")));

        List<String> unread = env.keySet().stream().filter(v -> !AppSettings.workerReads(v)).toList();
        assertEquals(List.of(), unread, "variables the worker does not read");
        WorkerConfig config = WorkerConfig.fromEnvironment(env); // throws, naming the variable, on a bad value
        assertEquals(overlay.equals("gpu") ? "CUDA" : "CPU", config.executionProvider().name());
        assertTrue(env.keySet().containsAll(List.of("PV3D_KAFKA_BOOTSTRAP_SERVERS", "PV3D_S3_ENDPOINT",
                "PV3D_S3_ACCESS_KEY", "PV3D_S3_SECRET_KEY", "PV3D_WORKER_HEALTH_PORT")), env.keySet().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void theApiGetsOnlyVariablesItsConfigurationHas(String overlay) {
        Manifests farm = render(overlay);
        Map<String, String> env = farm.environment(Manifests.container(farm.one("Deployment", "job-api")));

        List<String> unread = env.keySet().stream().filter(v -> !AppSettings.apiReads(v, API_PROPERTIES)).toList();
        assertEquals(List.of(), unread, "variables the job API does not read");
        assertTrue(env.keySet().containsAll(List.of("PV3D_KAFKA_BOOTSTRAP_SERVERS", "PV3D_S3_ENDPOINT",
                "PV3D_S3_ACCESS_KEY", "PV3D_S3_SECRET_KEY")), env.keySet().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void workerProbesAndPreStopCallTheWorkersOwnEndpoint(String overlay) throws Exception {
        Manifests farm = render(overlay);
        JsonNode container = Manifests.container(farm.one("Deployment", "render-worker"));
        int healthPort = WorkerConfig.fromEnvironment(farm.environment(container)).healthPort();
        JsonNode lifecycle = container.path("lifecycle");

        Map<String, JsonNode> calls = Map.of("startupProbe", container.path("startupProbe").path("httpGet"),
                "readinessProbe", container.path("readinessProbe").path("httpGet"),
                "livenessProbe", container.path("livenessProbe").path("httpGet"),
                "preStop", lifecycle.path("preStop").path("httpGet"));
        assertEquals(WorkerHealthServer.READY, calls.get("readinessProbe").path("path").asText());
        assertEquals(WorkerHealthServer.LIVE, calls.get("livenessProbe").path("path").asText());
        assertEquals(WorkerHealthServer.DRAIN, calls.get("preStop").path("path").asText());
        // Every call answers 200 on a real health endpoint of a ready worker.
        try (WorkerHealthServer server = WorkerHealthServer.start(0, new ReadyWorker())) {
            HttpClient http = HttpClient.newHttpClient();
            for (Map.Entry<String, JsonNode> call : calls.entrySet()) {
                assertEquals(healthPort, Manifests.port(container, call.getValue().path("port")), call.getKey());
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + server.port() + call.getValue().path("path").asText())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), call.getKey() + ": " + response.body());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void apiProbesAreQuarkusHealthEndpointsOnItsHttpPort(String overlay) {
        Manifests farm = render(overlay);
        JsonNode container = Manifests.container(farm.one("Deployment", "job-api"));
        List<String> keys = AppSettings.propertyKeys(API_PROPERTIES);
        assertFalse(keys.contains("quarkus.http.non-application-root-path"), "health stays under /q");
        int httpPort = Integer.parseInt(farm.environment(container).getOrDefault("QUARKUS_HTTP_PORT", "8080"));

        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertTrue(Set.of("/q/health/ready", "/q/health/live", "/q/health/started").contains(
                    get.path("path").asText()), probe);
            assertEquals(httpPort, Manifests.port(container, get.path("port")), probe);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void scaledObjectsFollowTheLagOfTheWorkersGroupAndNeverExceedThePartitions(String overlay) {
        Manifests farm = render(overlay);
        List<ObjectNode> scaled = farm.all("ScaledObject");
        assertFalse(scaled.isEmpty());
        Map<String, String> config = farm.one("ConfigMap", "pv3d-farm").get("data").properties().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asText()));

        for (ObjectNode object : scaled) {
            JsonNode spec = object.get("spec");
            ObjectNode deployment = farm.one("Deployment", spec.path("scaleTargetRef").path("name").asText());
            WorkerConfig worker = WorkerConfig.fromEnvironment(farm.environment(Manifests.container(deployment)));
            int max = spec.path("maxReplicaCount").asInt(-1);
            int min = spec.path("minReplicaCount").asInt(-1);
            assertTrue(spec.has("cooldownPeriod") && spec.has("pollingInterval"), object.toString());
            assertTrue(0 <= min && min <= max, "0 <= min <= max: " + min + ", " + max);
            Set<String> queued = new TreeSet<>(worker.workerOptions(
                    ValidationLimits.defaults()).topics());
            queued.removeIf(topic -> topic.endsWith(".retry"));
            Set<String> triggered = new TreeSet<>();
            spec.get("triggers").forEach(trigger -> triggered.add(trigger.path("metadata").path("topic").asText()));
            assertEquals(queued, triggered, "a trigger for every normal and high-priority topic the workers consume");
            int widest = 0;
            for (JsonNode trigger : spec.get("triggers")) {
                assertEquals("kafka", trigger.path("type").asText());
                JsonNode metadata = trigger.get("metadata");
                String topic = metadata.path("topic").asText();
                assertTrue(jobTopics().contains(topic), topic + " is a job topic");
                widest = Math.max(widest, farm.one("KafkaTopic", topic).path("spec").path("partitions").asInt());
                assertEquals(worker.groupId(), metadata.path("consumerGroup").asText(), "the workers' group");
                assertEquals(config.get("PV3D_KAFKA_BOOTSTRAP_SERVERS"), metadata.path("bootstrapServers").asText());
                assertTrue(Integer.parseInt(metadata.path("lagThreshold").asText()) >= 1);
                assertTrue(Integer.parseInt(metadata.path("activationLagThreshold").asText()) >= 0);
                // KEDA then caps each trigger's replicas at its topic's partitions.
                assertEquals("false", metadata.path("allowIdleConsumers").asText(), "no replica without partition");
            }
            assertTrue(max <= widest, "maxReplicaCount " + max + " <= " + widest + " partitions of the widest topic");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void aStoppingWorkerHasTimeToDrainItsJob(String overlay) {
        Manifests farm = render(overlay);
        ObjectNode deployment = farm.one("Deployment", "render-worker");
        WorkerConfig worker = WorkerConfig.fromEnvironment(farm.environment(Manifests.container(deployment)));
        long grace = deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds")
                .asLong();

        assertTrue(grace >= worker.shutdownGrace().plus(STOP_MARGIN).toSeconds(), "terminationGracePeriodSeconds "
                + grace + " covers the drain (" + worker.shutdownGrace() + ") and the stop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void onlyTheGpuPoolAsksForGpusAndItRunsOnGpuNodes(String overlay) {
        Manifests farm = render(overlay);
        JsonNode pod = farm.one("Deployment", "render-worker").path("spec").path("template").path("spec");
        JsonNode limits = Manifests.container(farm.one("Deployment", "render-worker")).path("resources")
                .path("limits");

        if (overlay.equals("gpu")) {
            assertEquals(1, limits.path("nvidia.com/gpu").asInt(), "one GPU per worker");
            assertEquals("true", pod.path("nodeSelector").path("nvidia.com/gpu.present").asText());
            boolean tolerated = false;
            for (JsonNode toleration : pod.path("tolerations")) {
                tolerated |= toleration.path("key").asText().equals("nvidia.com/gpu");
            }
            assertTrue(tolerated, "tolerates the GPU nodes' taint");
        } else {
            assertFalse(limits.has("nvidia.com/gpu"));
            assertFalse(pod.has("nodeSelector"));
        }
        assertFalse(Manifests.container(farm.one("Deployment", "job-api")).path("resources").path("limits")
                .has("nvidia.com/gpu"), "the API needs no GPU");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void servicesAndDisruptionBudgetsSelectTheirPods(String overlay) {
        Manifests farm = render(overlay);
        List<String> unmatched = new ArrayList<>();
        for (String kind : List.of("Service", "PodDisruptionBudget", "Deployment")) {
            for (ObjectNode resource : farm.all(kind)) {
                JsonNode selector = kind.equals("Service") ? resource.path("spec").path("selector")
                        : resource.path("spec").path("selector").path("matchLabels");
                boolean matches = farm.all("Deployment").stream().anyMatch(d -> Manifests.selects(selector,
                        d.path("spec").path("template").path("metadata").path("labels")));
                if (!matches) {
                    unmatched.add(kind + "/" + resource.path("metadata").path("name").asText());
                }
            }
        }
        assertEquals(List.of(), unmatched, "selectors that match no pod template");
        assertEquals(Set.of("job-api", "render-worker"), farm.all("PodDisruptionBudget").stream()
                .map(p -> p.path("metadata").path("name").asText()).collect(Collectors.toSet()));
        for (ObjectNode resource : farm.resources()) {
            if (!resource.path("kind").asText().equals("Namespace")) {
                assertEquals("pv3d", resource.path("metadata").path("namespace").asText(), resource.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyTopicIsAStrimziTopicWithRetentionAndTheEventsTopicIsCompacted(String overlay) {
        Manifests farm = render(overlay);
        Set<String> names = new TreeSet<>();
        for (ObjectNode topic : farm.all("KafkaTopic")) {
            String name = topic.path("metadata").path("name").asText();
            names.add(name);
            JsonNode config = topic.path("spec").path("config");
            assertEquals("pv3d", topic.path("metadata").path("labels").path("strimzi.io/cluster").asText(), name);
            assertTrue(topic.path("spec").path("partitions").asInt() >= 1, name);
            assertTrue(config.path("retention.ms").asLong() > 0, name + " has a retention");
            String policy = config.path("cleanup.policy").asText("delete");
            assertEquals(name.equals(Topics.EVENTS) || name.equals(Topics.WEBHOOK_DEAD_LETTER) ? "compact,delete"
                    : "delete", policy, name);
        }
        assertEquals(new TreeSet<>(Topics.all()), names);
    }

    static Set<String> jobTopics() {
        Set<String> topics = new TreeSet<>();
        for (JobKind kind : JobKind.values()) {
            topics.add(Topics.jobs(kind));
            topics.add(Topics.jobs(kind, Priority.HIGH));
        }
        return topics;
    }
}
