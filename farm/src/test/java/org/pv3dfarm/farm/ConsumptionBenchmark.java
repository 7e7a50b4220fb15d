package org.pv3dfarm.farm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;

/**
 * Classic consumer group against share group (KIP-932), measured on the embedded KRaft broker (issue 7 item 10).
 * {@code N} simulated workers consume {@code M} job records from a topic of {@code P < N} partitions; a job is a
 * sleep. Two scenarios: {@code uniform} (every job short) and {@code hol} (head of line: one long job at the head of
 * each of the first {@code L} partitions, short ones behind it). Each scenario runs once per mode, each on its own
 * topic and group:
 * <ul>
 *   <li>{@code classic}: {@link KafkaConsumer}, one record per poll, offset committed after the job;</li>
 *   <li>{@code share}: {@link KafkaShareConsumer}, explicit acknowledgement, ACCEPT and commit after the job.</li>
 * </ul>
 * The backlog is produced at once after the group is stable and one instant warm-up job per partition ran.
 * Figures per mode and scenario: jobs per minute ({@code M / (last job done - first record produced)}), p50/p95
 * queue wait (record timestamp to job start), and duplicates (deliveries beyond the first) and losses (jobs never
 * run), which must both be 0.
 *
 * <p>Kafka 4.1 ships share groups as a preview: the broker serves them once the feature {@code share.version=1} is
 * finalized ({@code kafka-features.sh upgrade --feature share.version=1}; here through {@link Admin#updateFeatures}).
 *
 * <p>Usage: {@code bench/consumption-benchmarks [--record] [--workers N] [--partitions P] [--jobs M] [--job-ms T]
 * [--long-jobs L] [--long-ms T]}.
 */
public final class ConsumptionBenchmark {

    private static final String COMMAND = "bench/consumption-benchmarks --record";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Settings settings;
    private final EmbeddedKafkaBroker broker;
    private final Admin admin;
    private final FarmBenchResults results = new FarmBenchResults();

    ConsumptionBenchmark(Settings settings, EmbeddedKafkaBroker broker, Admin admin) {
        this.settings = settings;
        this.broker = broker;
        this.admin = admin;
    }

    /** Benchmark sizes; the defaults keep a whole run at about two minutes. */
    record Settings(int workers, int partitions, int jobs, long jobMs, int longJobs, long longMs) {
        Settings {
            if (workers < 1 || partitions < 1 || jobs < 1 || jobMs < 0 || longJobs < 0 || longJobs > partitions
                    || longMs < 0) {
                throw new IllegalArgumentException("bad settings " + workers + "/" + partitions + "/" + jobs + "/"
                        + jobMs + "/" + longJobs + "/" + longMs);
            }
        }

        static Settings parse(List<String> args) {
            return new Settings(intArg(args, "--workers", 4), intArg(args, "--partitions", 2),
                    intArg(args, "--jobs", 160), intArg(args, "--job-ms", 250), intArg(args, "--long-jobs", 2),
                    intArg(args, "--long-ms", 8000));
        }

        private static int intArg(List<String> args, String name, int fallback) {
            int at = args.indexOf(name);
            return at < 0 ? fallback : Integer.parseInt(args.get(at + 1));
        }
    }

    enum Mode { CLASSIC, SHARE }

    public static void main(String[] argv) throws Exception {
        List<String> args = Arrays.asList(argv);
        Settings settings = Settings.parse(args);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
             Admin admin = Admin.create(broker.clientConfig())) {
            ConsumptionBenchmark bench = new ConsumptionBenchmark(settings, broker, admin);
            String shareFailure = enableShareGroups(admin);
            for (int longJobs : new int[] {0, settings.longJobs()}) {
                bench.run(Mode.CLASSIC, longJobs);
                if (shareFailure == null) {
                    bench.run(Mode.SHARE, longJobs);
                }
            }
            if (shareFailure != null) {
                System.out.println("share groups could not be enabled: " + shareFailure);
            }
            bench.results.values().forEach((name, value) -> System.out.printf("%-48s %.3f%n", name, value));
            if (args.contains("--record")) {
                bench.results.mergeInto(Path.of("bench/results.json"), COMMAND);
            }
        }
    }

    /** Finalizes {@code share.version=1}; returns null on success, otherwise the broker's error text. */
    static String enableShareGroups(Admin admin) {
        try {
            admin.updateFeatures(Map.of("share.version",
                    new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.UPGRADE)), new UpdateFeaturesOptions())
                    .all().get(30, TimeUnit.SECONDS);
            System.out.println("finalized features: "
                    + admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures());
            return null;
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The figures measured so far, by metric name. */
    Map<String, Double> figures() {
        return results.values();
    }

    /** One mode and scenario on a fresh topic and group; its figures go to {@link #figures()}. */
    void run(Mode mode, int longJobs) throws Exception {
        String scenario = longJobs == 0 ? "uniform" : "hol";
        String name = mode.name().toLowerCase() + "_" + scenario;
        String topic = "bench-" + name;
        String group = "bench-group-" + name;
        broker.createTopics(List.of(new NewTopic(topic, settings.partitions(), (short) 1)));
        if (mode == Mode.SHARE) {
            // A share group starts at the latest offset by default; records produced before a partition's first
            // share fetch would be skipped.
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        // Warm-up: one instant job per partition first, so that one-time costs (a share partition's state is
        // initialized on its first fetch, about 5 s here) are not counted as queue wait of the measured backlog.
        AtomicReference<JobLedger> ledgers = new AtomicReference<>(new JobLedger(settings.partitions()));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < settings.workers(); w++) {
            Runnable loop = mode == Mode.CLASSIC
                    ? () -> classicWorker(topic, group, ledgers, stop)
                    : () -> shareWorker(topic, group, ledgers, stop);
            Thread thread = new Thread(loop, name + "-w" + w);
            thread.start();
            workers.add(thread);
        }
        awaitStableGroup(mode, group);
        produce(topic, "warm-up", settings.partitions(), 0, 0);
        if (!ledgers.get().awaitAll(Duration.ofSeconds(60))) {
            throw new IllegalStateException(name + ": the warm-up jobs did not run within 60 s");
        }
        JobLedger ledger = new JobLedger(settings.jobs());
        ledgers.set(ledger);
        long produced = produce(topic, "job", settings.jobs(), longJobs, settings.longMs());
        long expectedMs = (settings.jobs() * settings.jobMs() + longJobs * settings.longMs()) / settings.workers();
        boolean done = ledger.awaitAll(Duration.ofMillis(Math.max(60_000, 6 * expectedMs)));
        long doneAt = ledger.lastDoneMillis();
        Thread.sleep(2_000); // late redeliveries count as duplicates
        stop.set(true);
        for (Thread thread : workers) {
            thread.join(30_000);
        }
        JobLedger.Summary summary = ledger.summary();
        double minutes = (doneAt - produced) / 60_000.0;
        System.out.printf("%s: %d jobs (%d long) on %d partitions by %d workers: %s, %.1f s%n", name,
                settings.jobs(), longJobs, settings.partitions(), settings.workers(),
                done ? "all done" : "TIMED OUT", minutes * 60);
        String prefix = "consumption_" + name + "_";
        if (done) {
            results.put(prefix + "jobs_per_min", settings.jobs() / minutes, "jobs/min");
        }
        if (!Double.isNaN(summary.waitP50Ms())) {
            results.put(prefix + "queue_wait_p50_s", summary.waitP50Ms() / 1000.0, "s");
            results.put(prefix + "queue_wait_p95_s", summary.waitP95Ms() / 1000.0, "s");
        }
        results.put(prefix + "duplicates", summary.duplicates(), "jobs");
        results.put(prefix + "lost", summary.lost(), "jobs");
    }

    /**
     * Record i ({@code prefix-i}) goes to partition i mod P; the first {@code longJobs} records (one per partition)
     * take {@code longMs}, the others the short job time. Returns the wall-clock time before the first send.
     */
    private long produce(String topic, String prefix, int count, int longJobs, long longMs) {
        Properties props = new Properties();
        props.putAll(broker.clientConfig());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // One record per batch: a share consumer acquires whole batches, and farm jobs arrive one by one.
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "0");
        long start = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                long ms = i < longJobs ? longMs : prefix.equals("job") ? settings.jobMs() : 0;
                String id = prefix + "-" + i;
                producer.send(new ProducerRecord<>(topic, i % settings.partitions(), id, id + ":" + ms));
            }
            producer.flush();
        }
        return start;
    }

    private void classicWorker(String topic, String group, AtomicReference<JobLedger> ledger, AtomicBoolean stop) {
        Properties props = consumerProperties(group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    runJob(record, ledger.get());
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        }
    }

    private void shareWorker(String topic, String group, AtomicReference<JobLedger> ledger, AtomicBoolean stop) {
        Properties props = consumerProperties(group);
        props.put("share.acknowledgement.mode", "explicit");
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    runJob(record, ledger.get());
                    consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    consumer.commitSync();
                }
            }
        }
    }

    private Properties consumerProperties(String group) {
        Properties props = new Properties();
        props.putAll(broker.clientConfig());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // A worker takes one job at a time, as the render worker's loop does.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        return props;
    }

    /** The job: a sleep of the duration the record names. */
    private static void runJob(ConsumerRecord<String, String> record, JobLedger ledger) {
        long start = System.currentTimeMillis();
        String[] parts = record.value().split(":");
        try {
            Thread.sleep(Long.parseLong(parts[1]));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        ledger.done(parts[0], start - record.timestamp());
    }

    /** Stable means every worker is a member and, for a classic group, every partition is assigned. */
    private void awaitStableGroup(Mode mode, String group) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String seen = "nothing";
        while (System.nanoTime() < deadline) {
            try {
                seen = groupState(mode, group);
                if (seen.equals(GroupState.STABLE + ", " + settings.workers() + " members, "
                        + (mode == Mode.CLASSIC ? settings.partitions() : 0) + " partitions")) {
                    return;
                }
            } catch (ExecutionException e) {
                seen = e.getCause().toString(); // the group does not exist until its first member joins
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("group " + group + " not stable within " + READY_TIMEOUT + ": " + seen);
    }

    /** "STATE, n members, p partitions"; a share group assigns no partitions of its own (p is 0). */
    private String groupState(Mode mode, String group) throws Exception {
        if (mode == Mode.CLASSIC) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
            int assigned = description.members().stream()
                    .mapToInt(m -> m.assignment().topicPartitions().size()).sum();
            return description.groupState() + ", " + description.members().size() + " members, " + assigned
                    + " partitions";
        }
        ShareGroupDescription description = admin.describeShareGroups(List.of(group)).all()
                .get(10, TimeUnit.SECONDS).get(group);
        return description.groupState() + ", " + description.members().size() + " members, 0 partitions";
    }
}
