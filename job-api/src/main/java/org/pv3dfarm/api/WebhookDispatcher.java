package org.pv3dfarm.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.JobCancelled;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobCodecException;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobEvent;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.client.DeadLetters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Completion webhooks: POSTs each final event (completed, failed for good, cancelled) of a tenant that configured
 * {@code pv3d.tenants.NAME.webhook-url} to that URL, signed ({@link WebhookSignature}), retrying non-2xx answers and
 * network errors with exponential backoff and jitter up to {@code pv3d.webhooks.max-attempts}. A delivery given up
 * goes to the webhook dead-letter topic with the reason ({@link WebhookDeadLetters}); {@link #replay} delivers it
 * again once the endpoint is fixed ({@code POST /v1/webhooks/dead-letters/replay}).
 *
 * <p>API replicas share the events topic through one consumer group, so each event is delivered by one replica;
 * offsets are committed after the batch's deliveries ended, so a crash re-delivers (at least once): receivers
 * deduplicate on {@code X-Pv3d-Event-Id} ({@code topic-partition@offset}, the same on every redelivery). Deliveries
 * are made in order on one thread, so an endpoint that is down delays later deliveries by up to its retries.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** A new consumer group starts at the topic's beginning; older final events are history, not news. */
    private static final Duration MAX_EVENT_AGE = Duration.ofHours(24);

    private record Target(URI url, String secret) {
    }

    private final ApiConfig config;
    private final ApiMetrics metrics;
    private final Map<String, Target> targets;
    private final HttpClient http;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    private final WebhookDeadLetters deadLetters;

    @Inject
    public WebhookDispatcher(ApiConfig config, ApiMetrics metrics, WebhookDeadLetters deadLetters) {
        this.config = config;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.targets = targets(config);
        this.http = HttpClient.newBuilder().connectTimeout(config.webhooks().timeout()).build();
    }

    private static Map<String, Target> targets(ApiConfig config) {
        Map<String, Target> targets = new HashMap<>();
        config.tenants().forEach((name, tenant) -> tenant.webhookUrl().ifPresent(url -> {
            String secret = tenant.webhookSecret().orElseThrow(() -> new IllegalArgumentException(
                    "pv3d.tenants." + name + ".webhook-secret is required with a webhook-url"));
            if (!url.getScheme().equals("https") && !url.getScheme().equals("http")) {
                throw new IllegalArgumentException("pv3d.tenants." + name + ".webhook-url must be http(s)");
            }
            targets.put(name, new Target(url, secret));
        }));
        return Map.copyOf(targets);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.webhooks().enabled() || targets.isEmpty()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "pv3d-webhooks");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        BackgroundThreads.stop(thread, current == null ? null : current::wakeup);
    }

    private void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.webhooks().groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.kafka().clientId() + "-webhooks");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        // A batch of deliveries to a dead endpoint may take max-attempts x max-backoff per event.
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(30 * 60 * 1000));
        try (KafkaConsumer<String, byte[]> events = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = events;
            events.subscribe(List.of(Topics.EVENTS));
            while (running) {
                var records = events.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    process(record);
                }
                if (!records.isEmpty()) {
                    events.commitSync();
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("the webhook dispatcher stopped; webhooks resume after a restart", e);
        } finally {
            consumer = null;
        }
    }

    private void process(ConsumerRecord<String, byte[]> record) {
        JobEvent event;
        try {
            event = JobCodec.instance().decodeEvent(record.value());
        } catch (JobCodecException e) {
            return; // not an event of ours; the status follower logs it
        }
        boolean isFinal = event instanceof JobCompleted || event instanceof JobCancelled
                || (event instanceof JobFailed failed && !failed.retryable());
        Target target = event.tenant() == null ? null : targets.get(event.tenant());
        if (!isFinal || target == null || event.time().isBefore(Instant.now().minus(MAX_EVENT_AGE))) {
            return;
        }
        String eventId = WebhookDeadLetters.eventId(record.topic(), record.partition(), record.offset());
        String failure = deliver(target, eventId, event.type(), record.value());
        if (failure != null && !failure.isEmpty()) {
            deadLetter(DeadLetters.of(record, failure, null, "webhooks/" + config.webhooks().groupId(),
                    Instant.now()));
        }
    }

    /**
     * Delivers an open dead letter again (for its tenant's webhook as configured now): true if delivered, and then
     * the dead letter is resolved; if it fails again, a new dead letter with the new reason replaces it.
     */
    boolean replay(DeadLetter deadLetter) {
        JobEvent event = JobCodec.instance().decodeEvent(deadLetter.payload());
        Target target = event.tenant() == null ? null : targets.get(event.tenant());
        if (target == null) {
            return false;
        }
        String eventId = WebhookDeadLetters.eventId(deadLetter);
        String failure = deliver(target, eventId, event.type(), deadLetter.payload());
        if (failure == null) {
            try {
                deadLetters.resolve(eventId);
            } catch (Exception e) {
                LOG.errorf("webhook %s was replayed but its dead letter could not be resolved: %s", eventId, e);
            }
            return true;
        }
        if (!failure.isEmpty()) {
            deadLetter(new DeadLetter(deadLetter.schemaVersion(), deadLetter.topic(), deadLetter.partition(),
                    deadLetter.offset(), deadLetter.key(), deadLetter.headers(), deadLetter.payloadBase64(),
                    "replay: " + failure, null, deadLetter.consumer(), deadLetter.jobId(), Instant.now()));
        }
        return false;
    }

    private void deadLetter(DeadLetter deadLetter) {
        try {
            deadLetters.record(deadLetter);
            metrics.webhook("dead_lettered");
        } catch (Exception e) {
            // The event stays on its topic; an operator can find it by the id in this line.
            LOG.errorf("webhook %s could not be dead-lettered (%s): %s", WebhookDeadLetters.eventId(deadLetter),
                    deadLetter.reason(), e);
        }
    }

    /** Null once delivered, "" if stopped first, else why it was given up. */
    private String deliver(Target target, String eventId, String type, byte[] body) {
        ApiConfig.Webhooks settings = config.webhooks();
        for (int attempt = 1; attempt <= settings.maxAttempts() && running; attempt++) {
            String outcome;
            try {
                HttpRequest request = HttpRequest.newBuilder(target.url()).timeout(settings.timeout())
                        .header("Content-Type", "application/json")
                        .header(WebhookSignature.HEADER, WebhookSignature.sign(target.secret(),
                                Instant.now().getEpochSecond(), body))
                        .header("X-Pv3d-Event-Id", eventId)
                        .header("X-Pv3d-Event-Type", type)
                        .header("X-Pv3d-Attempt", Integer.toString(attempt))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    metrics.webhook("delivered");
                    return null;
                }
                outcome = "HTTP " + status;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            } catch (Exception e) {
                outcome = e.toString();
            }
            if (attempt < settings.maxAttempts()) {
                Duration pause = backoff(attempt, settings.initialBackoff(), settings.maxBackoff());
                LOG.warnf("webhook %s to %s failed (%s); attempt %d in %d ms", eventId, target.url(), outcome,
                        attempt + 1, pause.toMillis());
                sleep(pause);
            } else {
                LOG.errorf("webhook %s to %s given up after %d attempts (%s); dead-lettered", eventId, target.url(),
                        attempt, outcome);
                metrics.webhook("given_up");
                return "webhook to " + target.url() + " given up after " + attempt + " attempts: " + outcome;
            }
        }
        return "";
    }

    /** {@code initial x 2^(attempt-1)}, at most {@code max}, times a random factor in [0.5, 1) (jitter). */
    static Duration backoff(int attempt, Duration initial, Duration max) {
        long exponential = initial.toMillis() << Math.min(attempt - 1, 30);
        long capped = Math.min(exponential <= 0 ? Long.MAX_VALUE : exponential, max.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble() / 2)));
    }

    private void sleep(Duration pause) {
        long end = System.nanoTime() + pause.toNanos();
        while (running && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
