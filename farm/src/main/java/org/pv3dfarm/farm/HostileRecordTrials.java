package org.pv3dfarm.farm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.worker.RenderWorker;

/**
 * The worker's side of the hostile-input trials (issue 7): writes {@link HostileRecords} straight to the request
 * topics of a running {@link RenderWorker} ({@link FaultRig}), then accounts for every record: a dead letter for
 * exactly its topic, partition and offset with a reason, or (for a valid request under hostile headers) a
 * {@code completed} event of its job. Counts {@code worker_crashes}: consumer loops of the worker that ended
 * (an exception or Error escaped a loop) — the worker must stay ready throughout — and finally checks that it
 * still completes an ordinary job.
 *
 * <p>Usage: {@code bench/fault-trials hostile [--record]}.
 */
public final class HostileRecordTrials {

    private HostileRecordTrials() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("pv3d-hostile");
        Map<String, Long> figures;
        try (FaultRig rig = FaultRig.start(dir, 2, config -> config.retryMaxBackoff(Duration.ofSeconds(2))
                .retryInitialBackoff(Duration.ofMillis(200)))) {
            figures = run(rig, HostileRecords.corpus(7), Duration.ofMinutes(10));
        } finally {
            FaultRig.deleteTree(dir);
        }
        figures.forEach((k, v) -> System.out.printf("%-40s %d%n", k, v));
        if (Arrays.asList(args).contains("--record")) {
            Map<String, Long> recorded = new LinkedHashMap<>();
            for (String key : List.of("hostile_records_tried", "hostile_records_dead_lettered", "hostile_records_run",
                    "hostile_records_unaccounted", "worker_crashes")) {
                recorded.put(key, figures.get(key));
            }
            BenchResults.record(recorded, "count", "bench/fault-trials hostile --record");
        }
        if (figures.get("worker_crashes") != 0 || figures.get("hostile_records_unaccounted") != 0) {
            System.exit(1);
        }
    }

    /** Sends the corpus, waits (at most {@code timeout}) until every record is accounted for, and counts. */
    static Map<String, Long> run(FaultRig rig, List<HostileRecords.Hostile> corpus, Duration timeout)
            throws Exception {
        Map<String, HostileRecords.Hostile> sent = new LinkedHashMap<>();
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers());
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "hostile-producer");
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            for (HostileRecords.Hostile hostile : corpus) {
                RecordMetadata at = producer.send(hostile.record()).get();
                sent.put(position(at.topic(), at.partition(), at.offset()), hostile);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outcomes(rig, sent).size() < sent.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Map<String, String> outcomes = outcomes(rig, sent);
        RenderWorker worker = rig.worker();
        long crashes = worker.endedLoops();
        boolean stillWorks = completesAnOrdinaryJob(rig, Duration.ofMinutes(2));

        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("hostile_records_tried", (long) sent.size());
        figures.put("hostile_records_dead_lettered", outcomes.values().stream().filter("dead_letter"::equals).count());
        figures.put("hostile_records_run", outcomes.values().stream().filter("completed"::equals).count());
        figures.put("hostile_records_unaccounted", (long) (sent.size() - outcomes.size()));
        figures.put("worker_crashes", crashes + (worker.ready() ? 0 : 1) + (stillWorks ? 0 : 1));
        Map<String, Long> perCategory = new TreeMap<>(sent.values().stream()
                .collect(Collectors.groupingBy(HostileRecords.Hostile::category, Collectors.counting())));
        perCategory.forEach((category, n) -> figures.put("hostile_records_tried." + category, n));
        sent.keySet().stream().filter(at -> !outcomes.containsKey(at)).limit(10).forEach(at ->
                System.out.println("unaccounted: " + at + " (" + sent.get(at).category() + ")"));
        return figures;
    }

    /** Position -> "dead_letter" or "completed", for the sent records that have an outcome. */
    private static Map<String, String> outcomes(FaultRig rig, Map<String, HostileRecords.Hostile> sent) {
        Map<String, String> outcomes = new HashMap<>();
        for (DeadLetter letter : rig.deadLetters()) {
            String at = position(letter.topic(), letter.partition(), letter.offset());
            if (sent.containsKey(at) && !letter.reason().isBlank()) {
                outcomes.put(at, "dead_letter");
            }
        }
        Set<String> completedJobs = rig.events().stream().filter(e -> e instanceof JobCompleted)
                .map(e -> e.jobId().toString()).collect(Collectors.toSet());
        sent.forEach((at, hostile) -> {
            if (!outcomes.containsKey(at) && hostile.record().key() != null
                    && completedJobs.contains(hostile.record().key())) {
                outcomes.put(at, "completed");
            }
        });
        return outcomes;
    }

    private static boolean completesAnOrdinaryJob(FaultRig rig, Duration timeout) throws Exception {
        UUID job = UUID.randomUUID();
        rig.submit(List.of(GenerateRequest.builder().jobId(job).seed(1L).frames(2).build()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JobEvent event : rig.events()) {
                if (event instanceof JobCompleted && event.jobId().equals(job)) {
                    return true;
                }
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static String position(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
