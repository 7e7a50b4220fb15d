package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.pv3dfarm.protocol.Topics;

/**
 * The {@code bulk_enqueue_10k_s} benchmark: the time from sending one {@code POST /v1/jobs/bulk} of 10,000 generate
 * jobs to its answer, which comes only once the broker acknowledged every request record ({@code acks=all}). Runs
 * the embedded Kafka broker and S3Proxy in this JVM and the job API as its own process (the production jar), over
 * loopback, with no render worker (it would compete for the same cores). After every run the request topic's end
 * offsets must have grown by exactly the accepted count, so "on Kafka" is checked, not assumed.
 *
 * <p>Usage: {@code bench/job-api-benchmarks [--record]} (or this class with the farm's classpath). Reports the
 * first (cold JVM) run and the median of the warm runs, for NDJSON and for a JSON array; {@code --record} merges
 * them into {@code bench/results.json}.
 */
public final class BulkEnqueueBenchmark {

    private static final int JOBS = 10_000;
    private static final int WARM_UP_RUNS = 4;
    private static final int WARM_RUNS = 5;
    private static final String COMMAND = "bench/job-api-benchmarks --record";

    private BulkEnqueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean record = Arrays.asList(args).contains("--record");
        Path dataDir = Files.createTempDirectory("pv3d-bulk-bench");
        FarmOptions options = FarmOptions.builder().dataDir(dataDir).apiPort(PortRequest.exactly(0))
                .kafkaPort(PortRequest.exactly(0)).s3Port(PortRequest.exactly(0)).build();
        Map<String, Double> figures = new LinkedHashMap<>();
        try (FarmBackends backends = FarmBackends.start(options)) {
            FarmTopics.ensure(backends.kafkaBootstrapServers(), options.partitions());
            Map<String, String> environment = new LinkedHashMap<>(Farm.apiEnvironment(backends));
            // Every run adds 10,000 queued jobs of the default tenant; its quota must not be what is measured.
            environment.put("PV3D_AUTH_ANONYMOUS_MAX_ACTIVE_JOBS", "100000000");
            JobApiProcess.Settings settings = new JobApiProcess.Settings(JobApiJar.locate(), Farm.API_HOST,
                    options.apiPort().resolve("API port"), environment, options.layout().jobApiLog(),
                    Duration.ofMinutes(3));
            try (JobApiProcess api = JobApiProcess.start(settings);
                 KafkaConsumer<byte[], byte[]> offsets = endOffsetReader(backends.kafkaBootstrapServers())) {
                Bench bench = new Bench(api.baseUri(), offsets);
                figures.put("bulk_enqueue_10k_cold_s", bench.run(true, 0));
                for (int i = 0; i < WARM_UP_RUNS; i++) {
                    bench.run(i % 2 == 0, i); // JIT warm-up of both paths, not reported
                }
                figures.put("bulk_enqueue_10k_s", bench.median(true));
                figures.put("bulk_enqueue_10k_json_array_s", bench.median(false));
            }
        }
        figures.forEach((name, value) -> System.out.printf("%-32s %.3f s%n", name, value));
        if (record) {
            BenchResults.record(figures, "s", COMMAND);
        }
    }

    private static final class Bench {
        private final URI bulk;
        private final KafkaConsumer<byte[], byte[]> offsets;
        private final List<TopicPartition> partitions;
        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();
        private int batch;

        Bench(URI api, KafkaConsumer<byte[], byte[]> offsets) {
            this.bulk = api.resolve("/v1/jobs/bulk");
            this.offsets = offsets;
            this.partitions = offsets.partitionsFor(Topics.GENERATE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            offsets.assign(partitions);
        }

        double median(boolean ndjson) throws Exception {
            double[] seconds = new double[WARM_RUNS];
            for (int i = 0; i < WARM_RUNS; i++) {
                seconds[i] = run(ndjson, i);
            }
            Arrays.sort(seconds);
            System.out.printf("%s warm runs: %s%n", ndjson ? "NDJSON" : "JSON array", Arrays.toString(seconds));
            return seconds[WARM_RUNS / 2];
        }

        /** One bulk of {@link #JOBS} distinct jobs; returns the seconds until the answer. */
        double run(boolean ndjson, int run) throws Exception {
            byte[] body = body(ndjson, batch++);
            long before = endOffset();
            HttpRequest request = HttpRequest.newBuilder(bulk).timeout(Duration.ofMinutes(2))
                    .header("content-type", ndjson ? "application/x-ndjson" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode answer = json.readTree(response.body());
            if (response.statusCode() != 200 || answer.path("accepted").asInt() != JOBS) {
                throw new IllegalStateException("run " + run + ": HTTP " + response.statusCode() + ", accepted "
                        + answer.path("accepted") + ", rejected " + answer.path("rejected"));
            }
            long added = endOffset() - before;
            if (added != JOBS) {
                throw new IllegalStateException("run " + run + ": the topic grew by " + added + ", not " + JOBS);
            }
            return seconds;
        }

        private long endOffset() {
            return offsets.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }

        private static byte[] body(boolean ndjson, int batch) {
            StringBuilder out = new StringBuilder(JOBS * 120).append(ndjson ? "" : "[");
            for (int i = 0; i < JOBS; i++) {
                if (!ndjson && i > 0) {
                    out.append(',');
                }
                // Distinct seeds: 10,000 different clips, as a producer of a catalogue would send.
                out.append("{\"kind\":\"generate\",\"seed\":").append((long) batch * JOBS + i)
                        .append(",\"frames\":16,\"views\":[{\"trajectory\":\"orbit\"}]}");
                if (ndjson) {
                    out.append('\n');
                }
            }
            return out.append(ndjson ? "" : "]").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static KafkaConsumer<byte[], byte[]> endOffsetReader(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
