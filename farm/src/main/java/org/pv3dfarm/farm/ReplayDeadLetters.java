package org.pv3dfarm.farm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.client.DeadLetterReplay;
import org.pv3dfarm.protocol.client.JobProducerOptions;

/**
 * {@code bin/replay-dead-letters}: re-queues dead-lettered jobs ({@link DeadLetterReplay}).
 *
 * <pre>
 * bin/replay-dead-letters --bootstrap-servers HOST:PORT (--job ID ... | --reason-contains TEXT | --all)
 * </pre>
 * Filters combine with "and"; at least one is required, so that a bare call never replays everything.
 */
public final class ReplayDeadLetters {

    private ReplayDeadLetters() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv().getOrDefault(FarmEnvironment.KAFKA_BOOTSTRAP_SERVERS, "localhost:9092");
        List<UUID> jobs = new ArrayList<>();
        Predicate<DeadLetter> which = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--bootstrap-servers" -> bootstrap = require(value, args[i++]);
                case "--job" -> jobs.add(UUID.fromString(require(value, args[i++])));
                case "--reason-contains" -> {
                    String text = require(value, args[i++]);
                    which = and(which, d -> d.reason().contains(text));
                }
                case "--all" -> which = and(which, d -> true);
                default -> throw usage("unknown option " + args[i]);
            }
        }
        if (!jobs.isEmpty()) {
            which = and(which, d -> jobs.contains(d.jobId()));
        }
        if (which == null) {
            throw usage("name what to replay: --job ID, --reason-contains TEXT or --all");
        }
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var dlq = new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<String, byte[]>(JobProducerOptions.builder()
                     .bootstrapServers(bootstrap).clientId("pv3d-replay-dead-letters").build().toProperties())) {
            int replayed = DeadLetterReplay.replay(dlq, producer, which, Duration.ofMinutes(2));
            System.out.println("replayed " + replayed + " dead letter(s)");
        }
    }

    private static Predicate<DeadLetter> and(Predicate<DeadLetter> a, Predicate<DeadLetter> b) {
        return a == null ? b : a.and(b);
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw usage(option + " needs a value");
        }
        return value;
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "\nusage: bin/replay-dead-letters [--bootstrap-servers HOST:PORT]"
                + " (--job ID ... | --reason-contains TEXT | --all)");
    }
}
