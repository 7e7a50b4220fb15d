package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.pv3dfarm.protocol.JobAccepted;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobRequests;
import org.pv3dfarm.protocol.JobValidator;
import org.pv3dfarm.protocol.SchemaVersion;
import org.pv3dfarm.protocol.ValidationLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** {@link JobProducer} on kafka-clients; see the interface for the contract. */
public final class KafkaJobProducer implements JobProducer {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaJobProducer.class);

    private final Producer<String, byte[]> producer;
    private final boolean ownsProducer;
    private final JobValidator validator;
    private final JobEventPublisher events;
    private final Clock clock;
    private final LongSupplier seeds;
    // Writes the accepted event off the producer's I/O thread, where a blocking send could deadlock.
    private final ExecutorService acceptedWriter;

    /** A producer with its own Kafka connection, closed by {@link #close()}. */
    public KafkaJobProducer(JobProducerOptions options) {
        this(new KafkaProducer<>(options.toProperties()), true, options.limits(), Clock.systemUTC(),
                new SecureRandom()::nextLong);
    }

    /**
     * A producer on a Kafka producer owned by the caller (configure it as {@link JobProducerOptions#toProperties()}
     * does); for tests, a {@code MockProducer}, a fixed clock and fixed seeds.
     */
    public KafkaJobProducer(Producer<String, byte[]> producer, ValidationLimits limits, Clock clock,
                            LongSupplier seeds) {
        this(producer, false, limits, clock, seeds);
    }

    private KafkaJobProducer(Producer<String, byte[]> producer, boolean ownsProducer, ValidationLimits limits,
                             Clock clock, LongSupplier seeds) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.ownsProducer = ownsProducer;
        this.validator = new JobValidator(limits);
        this.events = new KafkaJobEventPublisher(producer);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.seeds = Objects.requireNonNull(seeds, "seeds");
        this.acceptedWriter = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "pv3d-job-producer-accepted");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public CompletableFuture<SubmittedJob> submitAsync(JobRequest request, String traceId) {
        validator.requireValid(request, JobValidator.Stage.SUBMITTED);
        String digest = JobCodec.instance().requestSha256(request);
        UUID jobId = JobRequests.assignJobId(request);
        JobRequest queued = validator.requireValid(JobRequests.forQueue(request, jobId, seeds),
                JobValidator.Stage.QUEUED);
        JobAccepted accepted = new JobAccepted(SchemaVersion.CURRENT, jobId, queued.kind(), queued.tenant(),
                clock.instant(), queued.priority(), queued.idempotencyKey(), digest);
        return JobRecords.send(producer, JobRecords.request(queued, traceId))
                .thenComposeAsync(metadata -> writeAccepted(accepted, traceId)
                        .thenApply(ignored -> submitted(queued, metadata, accepted)), acceptedWriter);
    }

    private CompletableFuture<Void> writeAccepted(JobAccepted accepted, String traceId) {
        return events.publish(accepted, traceId).handle((metadata, error) -> {
            if (error != null) {
                LOG.warn("job {} is queued but its accepted event was not written: {}", accepted.jobId(),
                        error.toString());
            }
            return null;
        });
    }

    private static SubmittedJob submitted(JobRequest queued, RecordMetadata metadata, JobAccepted accepted) {
        return new SubmittedJob(queued.jobId(), queued, metadata.topic(), metadata.partition(), metadata.offset(),
                accepted);
    }

    @Override
    public void close() {
        acceptedWriter.shutdown();
        try {
            if (!acceptedWriter.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("accepted events still pending at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsProducer) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
