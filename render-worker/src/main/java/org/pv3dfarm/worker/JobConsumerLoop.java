package org.pv3dfarm.worker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.JobCodecException;
import org.pv3dfarm.protocol.JobCompleted;
import org.pv3dfarm.protocol.JobFailed;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobProgress;
import org.pv3dfarm.protocol.ProgressUnit;
import org.pv3dfarm.protocol.JobRequest;
import org.pv3dfarm.protocol.JobStarted;
import org.pv3dfarm.protocol.JobValidationException;
import org.pv3dfarm.protocol.JobValidator;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.SchemaVersion;
import org.pv3dfarm.protocol.Topics;
import org.pv3dfarm.protocol.Violation;
import org.pv3dfarm.protocol.client.DeadLetters;
import org.pv3dfarm.protocol.client.JobRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The render worker's Kafka consumer: takes job requests one at a time, runs them through a {@link JobHandler},
 * and commits a request's offset only after its outcome is safely recorded.
 *
 * <p>Guarantees (at least once, nothing lost):
 * <ul>
 *   <li>A job's offset is committed only after the handler returned (so every output is uploaded) and the
 *       broker acknowledged its {@code completed} event. A crash in between redelivers the job; it runs again and
 *       overwrites its outputs under the same keys, so a reader may see a second {@code completed} with the same
 *       keys, never a lost job.</li>
 *   <li>A request that cannot be read or fails validation, and a job whose handler throws, goes to the
 *       dead-letter topic with the reason and the original record (and a {@code failed} event when the job id is
 *       known), then is committed. The loop never stops because of one job. An {@link InvalidJobException}
 *       (the request is wrong for this worker's model) is dead-lettered at once with code
 *       {@code invalid_request}, like a request that failed validation. A {@link RetryableJobException} is
 *       retried through the kind's retry topic ({@link Topics#retry}): the record is copied there with the next
 *       attempt number and a not-before time (exponential backoff with jitter, {@link WorkerOptions#jobRetry()}),
 *       the original is committed, and the job's partition moves on at once. A worker that takes a retry record
 *       before it is due pauses that retry partition until then, so waiting retries never hold up other jobs.
 *       After {@link WorkerOptions#jobRetry()} attempts the job is dead-lettered with code
 *       {@code retries_exhausted}.</li>
 *   <li>If an event or dead letter cannot be acknowledged, nothing is committed: the record is read again after a
 *       pause.</li>
 *   <li>Long jobs keep the group membership: while a job runs on its own thread, the loop pauses every assigned
 *       partition and keeps polling, so {@code max.poll.interval.ms} never expires and no rebalance moves the job.
 *       Partitions assigned meanwhile are paused too; everything is resumed after the job. A rebalance can still
 *       move a running job's partition (a worker, or another loop of the same worker, joins the group): the job's
 *       new owner reads from the last commit and runs it again, so the loop that loses it publishes neither its
 *       {@code completed} event nor a dead letter, and the job is settled once, by its new owner.</li>
 *   <li>Start: the loops of one worker join the group one after another, so a loop keeps its partitions paused
 *       and takes no job until the worker's {@link StartBarrier} opens (all its loops joined, or a bound passed);
 *       otherwise a sibling's join could move the first job's partition and make it run twice.</li>
 *   <li>{@link #close()}: stops taking jobs (waking a blocked poll), lets a running job finish within
 *       {@link WorkerOptions#shutdownGrace()} and commits it, or else asks it to stop and releases it uncommitted
 *       for redelivery; then closes the consumer, leaving the group.</li>
 *   <li>An {@link Error} from a handler (out of memory, a native crash) is not survivable: the loop ends without
 *       committing, {@link #terminated()} completes with the error, and the job is redelivered elsewhere.</li>
 *   <li>Priorities: the loop consumes each kind's normal and high-priority topic and always takes the next
 *       high-priority record it holds first (per partition, order is kept). While a job runs, the high-priority
 *       partitions keep being fetched until one such record is waiting, so a high-priority job submitted behind a
 *       backlog of normal ones runs right after the current job.</li>
 *   <li>Duplicate completions ({@link FinishedJobs}): a redelivered job whose {@code completed} event is already
 *       on the events topic is committed without running, so each job completes once. The loop starts consuming
 *       only once the finished jobs are loaded (at most a minute).</li>
 *   <li>Cancellation ({@link FinishedJobs}): a cancelled job that is still queued is committed without running
 *       and without events (its {@code cancelled} event is its final status); a running one sees
 *       {@link JobContext#stopRequested()} at its next batch boundary, and whatever it then throws, it is
 *       committed without a {@code failed} event or dead letter.</li>
 * </ul>
 */
public final class JobConsumerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumerLoop.class);
    /** Pause after a poll failed in a way the consumer could not handle itself (e.g. the broker is down). */
    private static final Duration POLL_FAILURE_PAUSE = Duration.ofSeconds(1);
    /** How long the loop's end waits for a released job to stop (it checks between batches of frames). */
    private static final Duration JOB_STOP_WAIT = Duration.ofSeconds(60);
    /** The longest a starting loop waits for {@link FinishedJobs#ready()}. */
    private static final Duration FINISHED_JOBS_WAIT = Duration.ofSeconds(60);

    private enum Outcome { COMMIT, REDELIVER }

    private final WorkerOptions options;
    private final JobHandler handler;
    private final EventPublisher publisher;
    private final Consumer<String, byte[]> consumer;
    private final Clock clock;
    private final JobValidator validator;
    private final FinishedJobs finished;
    private final StartBarrier startBarrier;
    private final ExecutorService jobThread;
    private final Deque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();
    /** Retry partitions paused until their head record is due (nanoTime). */
    private final Map<TopicPartition, Long> delayed = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private boolean holding;
    /** Whether {@link #startBarrier} was seen open; until then every assigned partition stays paused. */
    private boolean started;
    private TopicPartition runningPartition;

    /**
     * A loop with its own Kafka consumer. The publisher stays the caller's: the loop does not close it.
     */
    public JobConsumerLoop(WorkerOptions options, JobHandler handler, EventPublisher publisher) {
        this(options, handler, publisher, FinishedJobs.none());
    }

    /** A loop with its own Kafka consumer that honours cancellations. */
    public JobConsumerLoop(WorkerOptions options, JobHandler handler, EventPublisher publisher,
            FinishedJobs finished) {
        this(options, handler, publisher, finished, StartBarrier.none());
    }

    /**
     * A loop with its own Kafka consumer that honours cancellations and takes its first job only once
     * {@code startBarrier} (shared by the worker's loops) is open.
     */
    public JobConsumerLoop(WorkerOptions options, JobHandler handler, EventPublisher publisher,
            FinishedJobs finished, StartBarrier startBarrier) {
        this(options, handler, publisher, new KafkaConsumer<>(options.consumerProperties()), Clock.systemUTC(),
                finished, startBarrier);
    }

    JobConsumerLoop(WorkerOptions options, JobHandler handler, EventPublisher publisher,
            Consumer<String, byte[]> consumer, Clock clock) {
        this(options, handler, publisher, consumer, clock, FinishedJobs.none());
    }

    JobConsumerLoop(WorkerOptions options, JobHandler handler, EventPublisher publisher,
            Consumer<String, byte[]> consumer, Clock clock, FinishedJobs finished) {
        this(options, handler, publisher, consumer, clock, finished, StartBarrier.none());
    }

    JobConsumerLoop(WorkerOptions options, JobHandler handler, EventPublisher publisher,
            Consumer<String, byte[]> consumer, Clock clock, FinishedJobs finished, StartBarrier startBarrier) {
        this.finished = Objects.requireNonNull(finished, "finished");
        this.startBarrier = Objects.requireNonNull(startBarrier, "startBarrier");
        this.options = Objects.requireNonNull(options, "options");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validator = new JobValidator(options.limits());
        this.jobThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pv3d-job-" + options.clientId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs the loop on a new thread; {@link #terminated()} tells when it ends. */
    public JobConsumerLoop start() {
        Thread thread = new Thread(() -> {
            try {
                run();
            } catch (Throwable reported) {
                // already logged, and reported through terminated()
            }
        }, "pv3d-worker-" + options.clientId());
        thread.start();
        return this;
    }

    /** Completes when the loop has ended and closed its consumer; exceptionally if an Error ended it. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Runs the loop on the calling thread until {@link #close()} (from another thread) or an Error. */
    public void run() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("the loop of worker " + options.workerId() + " already ran");
        }
        Throwable failure = null;
        try {
            awaitFinishedJobs();
            consumer.subscribe(options.topics(), new Rebalances());
            LOG.info("worker {} consuming {} in group {}", options.workerId(), options.topics(), options.groupId());
            while (!stopRequested.get()) {
                poll();
                if (passedStartBarrier()) {
                    drainPending();
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("worker {} stops: {}", options.workerId(), e.toString(), e);
            throw e;
        } finally {
            jobThread.shutdownNow();
            awaitJobThread();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer of worker {} failed: {}", options.workerId(), e.toString());
            }
            LOG.info("worker {} stopped", options.workerId());
            if (failure == null) {
                terminated.complete(null);
            } else {
                terminated.completeExceptionally(failure);
            }
        }
    }

    /**
     * Stops gracefully (see the class comment) and waits for the loop to end: at most the shutdown grace, 30 s,
     * and the wait for a released job to stop. Safe to call from any thread, more than once.
     */
    @Override
    public void close() {
        stopRequested.set(true);
        if (!running.get()) {
            if (running.compareAndSet(false, true)) {
                jobThread.shutdownNow();
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                terminated.complete(null);
            }
            return;
        }
        consumer.wakeup();
        try {
            terminated.get(options.shutdownGrace().toMillis() + 30_000 + JOB_STOP_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException reported) {
            // the loop already logged why it ended
        } catch (TimeoutException e) {
            LOG.warn("worker {} did not stop within its shutdown grace", options.workerId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for a released job to reach its next stop check: its thread may still be inside the model, which the
     * owner closes once {@link #terminated()} completes (closing it under a running session crashes the process).
     */
    private void awaitJobThread() {
        try {
            if (!jobThread.awaitTermination(JOB_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the released job of worker {} has not stopped after {} s", options.workerId(),
                        JOB_STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (bounded) until the finished jobs are known, so that a redelivered completed job is not run again. */
    private void awaitFinishedJobs() {
        long deadline = System.nanoTime() + FINISHED_JOBS_WAIT.toNanos();
        while (!finished.ready() && !stopRequested.get() && System.nanoTime() - deadline < 0) {
            sleep(Duration.ofMillis(50));
        }
        if (!finished.ready()) {
            LOG.warn("worker {} starts before the finished jobs are known; a redelivered job may complete twice",
                    options.workerId());
        }
    }

    /**
     * Whether the loop may take jobs: once its sibling loops have joined the group (or the barrier's bound passed),
     * the partitions paused while it waited are resumed.
     */
    private boolean passedStartBarrier() {
        if (!started && startBarrier.isOpen()) {
            started = true;
            consumer.resume(consumer.paused());
            LOG.info("worker {} takes jobs: {} of {} loops of the worker joined the group", options.workerId(),
                    startBarrier.arrivals(), startBarrier.loops());
        }
        return started;
    }

    private void poll() {
        resumeDueRetries();
        ConsumerRecords<String, byte[]> records;
        try {
            records = consumer.poll(options.pollTimeout());
        } catch (WakeupException e) {
            return; // close() asked; the caller checks stopRequested
        } catch (KafkaException e) {
            LOG.error("worker {} could not poll: {}; trying again in {} ms", options.workerId(), e.toString(),
                    POLL_FAILURE_PAUSE.toMillis());
            sleep(POLL_FAILURE_PAUSE);
            return;
        }
        records.forEach(pending::addLast);
    }

    private void drainPending() {
        while (!pending.isEmpty() && !stopRequested.get()) {
            ConsumerRecord<String, byte[]> record = takeNext();
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (!consumer.assignment().contains(partition)) {
                continue; // revoked since it was fetched: its new owner reads it
            }
            if (deferIfNotDue(record)) {
                continue;
            }
            Outcome outcome;
            try {
                outcome = process(record);
            } catch (RuntimeException e) {
                // A fault of the worker itself on this record; recorded like a failed job, never fatal.
                LOG.error("worker {} failed on {}: {}", options.workerId(), position(record), e.toString(), e);
                outcome = deadLetter(record, null, "job_error", "the worker failed on this record: " + e, e, 1);
            }
            if (outcome == Outcome.COMMIT) {
                commit(record, partition);
            } else {
                redeliver(record, partition);
            }
        }
    }

    private Outcome process(ConsumerRecord<String, byte[]> record) {
        JobRequest request;
        try {
            request = JobCodec.instance().decodeRequest(record.value());
        } catch (JobCodecException e) {
            return deadLetter(record, null, "invalid_request", "unreadable request: " + e.getMessage(), e, 1);
        }
        List<Violation> violations = validator.validate(request, JobValidator.Stage.QUEUED);
        if (!violations.isEmpty()) {
            JobValidationException error = new JobValidationException(violations);
            return deadLetter(record, request, "invalid_request", error.getMessage(), error, 1);
        }
        if (!request.jobId().toString().equals(record.key())) {
            return deadLetter(record, request, "invalid_request",
                    "the record key '" + record.key() + "' is not the job id " + request.jobId(), null, 1);
        }
        if (!options.kinds().contains(request.kind()) || Topics.kindOf(record.topic()) != request.kind()) {
            return deadLetter(record, request, "invalid_request", "a " + request.kind().wireName()
                    + " request does not belong on " + record.topic() + " or to this worker", null, 1);
        }
        return runJob(record, request);
    }

    private Outcome runJob(ConsumerRecord<String, byte[]> record, JobRequest request) {
        UUID jobId = request.jobId();
        if (finished.isCancelled(jobId)) {
            LOG.info("job {} was cancelled before it ran; skipped", jobId);
            return Outcome.COMMIT;
        }
        if (finished.isCompleted(jobId)) {
            // A redelivery after the completed event was acknowledged but before the commit: done already.
            LOG.info("job {} already completed; redelivery skipped", jobId);
            return Outcome.COMMIT;
        }
        int attempt = attemptOf(record);
        String traceId = JobRecords.header(record.headers(), HeaderNames.TRACE_ID);
        long startedAt = System.nanoTime();
        publisher.publishAsync(new JobStarted(SchemaVersion.CURRENT, jobId, request.kind(), request.tenant(),
                clock.instant(), options.workerId(), attempt), traceId).whenComplete(this::logUnacknowledged);

        AtomicBoolean releaseRequested = new AtomicBoolean();
        JobContext.Progress progress = new JobContext.Progress() {
            @Override
            public void report(int done, int total) {
                publish(done, total, ProgressUnit.FRAMES);
            }

            @Override
            public void reportSteps(int done, int total) {
                publish(done, total, ProgressUnit.STEPS);
            }

            private void publish(int done, int total, ProgressUnit unit) {
                publisher.publishAsync(new JobProgress(SchemaVersion.CURRENT, jobId, request.kind(), request.tenant(),
                        clock.instant(), attempt, done, total, unit), traceId).whenComplete(JobConsumerLoop.this::logUnacknowledged);
            }
        };
        JobContext context = new JobContext(request, traceId, attempt, options.workerId(), progress,
                () -> releaseRequested.get() || finished.isCancelled(jobId));
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Future<OutputKeys> result = jobThread.submit(() -> handler.handle(context));
        runningPartition = partition;
        boolean released;
        try {
            released = awaitWhileHolding(result, releaseRequested);
        } finally {
            runningPartition = null;
        }
        if (released) {
            LOG.warn("job {} released unfinished at shutdown; it will be redelivered", jobId);
            return Outcome.REDELIVER;
        }
        if (!consumer.assignment().contains(partition)) {
            // Its new owner reads from the last commit, so it runs the job too and settles it: a completed event (or a
            // dead letter) from here as well would settle the job twice.
            LOG.warn("job {} finished after {} moved to another consumer; its new owner settles it", jobId, partition);
            return Outcome.REDELIVER;
        }
        OutputKeys outputs;
        try {
            outputs = result.get();
        } catch (ExecutionException e) {
            if (finished.isCancelled(jobId) && !(e.getCause() instanceof Error)) {
                LOG.info("job {} stopped after it was cancelled ({})", jobId, e.getCause().toString());
                return Outcome.COMMIT;
            }
            return onJobFailure(record, request, attempt, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.set(true);
            return Outcome.REDELIVER;
        }
        if (outputs == null) {
            return onJobFailure(record, request, attempt, new IllegalStateException("the handler returned no outputs"));
        }
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        try {
            publisher.publish(new JobCompleted(SchemaVersion.CURRENT, jobId, request.kind(), request.tenant(),
                    clock.instant(), attempt, options.workerId(), outputs, durationMs), traceId);
        } catch (EventPublishException e) {
            LOG.warn("job {} finished but its completed event was not acknowledged ({}); it will run again", jobId,
                    e.getMessage());
            holdFor(options.jobRetry().backoff(1, ThreadLocalRandom.current().nextDouble()));
            return Outcome.REDELIVER;
        }
        LOG.info("job {} completed in {} ms (attempt {})", jobId, durationMs, attempt);
        return Outcome.COMMIT;
    }

    private Outcome onJobFailure(ConsumerRecord<String, byte[]> record, JobRequest request, int attempt,
            Throwable cause) {
        if (cause instanceof Error error) {
            throw error; // not survivable; nothing is committed, so the job is redelivered
        }
        String reason = String.valueOf(cause);
        boolean retryable = cause instanceof RetryableJobException;
        if (retryable && attempt < options.jobRetry().maxAttempts()) {
            return scheduleRetry(record, request, attempt, reason);
        }
        if (cause instanceof InvalidJobException invalid) {
            // The request itself is wrong for this worker's model: the submitter's fault, not the worker's.
            LOG.warn("job {} is invalid for this worker: {}", request.jobId(), invalid.getMessage());
            return deadLetter(record, request, "invalid_request", invalid.getMessage(), cause, attempt);
        }
        LOG.warn("job {} failed: {}", request.jobId(), reason, cause);
        return retryable
                ? deadLetter(record, request, "retries_exhausted", "gave up after " + attempt + " attempts: " + reason,
                        cause, attempt)
                : deadLetter(record, request, "job_error", reason, cause, attempt);
    }

    /**
     * Copies the record to the kind's retry topic for attempt {@code attempt + 1}, due after the backoff, then
     * announces the retryable failure; COMMIT once the copy is acknowledged (before that, the original stays).
     */
    private Outcome scheduleRetry(ConsumerRecord<String, byte[]> record, JobRequest request, int attempt,
            String reason) {
        Duration pause = options.jobRetry().backoff(attempt, ThreadLocalRandom.current().nextDouble());
        long notBefore = clock.millis() + pause.toMillis();
        ProducerRecord<String, byte[]> retry = new ProducerRecord<>(Topics.retry(request.kind()), null,
                record.key(), record.value(), copyHeaders(record.headers()));
        retry.headers().remove(HeaderNames.ATTEMPT).remove(HeaderNames.NOT_BEFORE)
                .add(HeaderNames.ATTEMPT, Integer.toString(attempt + 1).getBytes(StandardCharsets.UTF_8))
                .add(HeaderNames.NOT_BEFORE, Long.toString(notBefore).getBytes(StandardCharsets.UTF_8));
        try {
            publisher.forward(retry);
        } catch (EventPublishException e) {
            LOG.warn("could not queue the retry of job {} ({}); it will be read again", request.jobId(),
                    e.getMessage());
            holdFor(options.jobRetry().backoff(1, ThreadLocalRandom.current().nextDouble()));
            return Outcome.REDELIVER;
        }
        LOG.warn("job {} attempt {} failed ({}); attempt {} queued on {} in {} ms", request.jobId(), attempt, reason,
                attempt + 1, retry.topic(), pause.toMillis());
        publisher.publishAsync(new JobFailed(SchemaVersion.CURRENT, request.jobId(), request.kind(),
                request.tenant(), clock.instant(), attempt, "transient_error", reason, true), null)
                .whenComplete(this::logUnacknowledged);
        return Outcome.COMMIT;
    }

    /** The attempt a record is: its {@link HeaderNames#ATTEMPT} header (retries, replays), else 1. */
    private static int attemptOf(ConsumerRecord<String, byte[]> record) {
        String header = JobRecords.header(record.headers(), HeaderNames.ATTEMPT);
        try {
            return header == null ? 1 : Math.max(1, Integer.parseInt(header));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Headers copyHeaders(Headers headers) {
        Headers copy = new RecordHeaders();
        headers.forEach(h -> copy.add(h.key(), h.value()));
        return copy;
    }

    /**
     * Whether a retry record is not due yet; if so its partition is rewound to it and paused until it is, and the
     * partition's other fetched records are dropped (they are read again after the pause).
     */
    private boolean deferIfNotDue(ConsumerRecord<String, byte[]> record) {
        if (!Topics.isRetry(record.topic())) {
            return false;
        }
        String header = JobRecords.header(record.headers(), HeaderNames.NOT_BEFORE);
        long wait;
        try {
            // A worker writes a retry due at most the longest backoff after the record's own time; a later
            // not-before (a hostile producer, a skewed clock) would otherwise hold the retry partition for good.
            long due = header == null ? 0 : Math.min(Long.parseLong(header),
                    record.timestamp() + options.jobRetry().maxBackoff().toMillis());
            wait = due - clock.millis();
        } catch (NumberFormatException e) {
            wait = 0;
        }
        if (wait <= 0) {
            return false;
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        pending.removeIf(r -> r.topic().equals(partition.topic()) && r.partition() == partition.partition());
        consumer.seek(partition, record.offset());
        consumer.pause(List.of(partition));
        delayed.put(partition, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait));
        return true;
    }

    /** Resumes the retry partitions whose head record is due; keeps the others paused. */
    private void resumeDueRetries() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<TopicPartition, Long>> it = delayed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Long> entry = it.next();
            if (!consumer.assignment().contains(entry.getKey())) {
                it.remove();
            } else if (now - entry.getValue() >= 0) {
                it.remove();
                if (!holding) {
                    consumer.resume(List.of(entry.getKey()));
                }
            } else {
                consumer.pause(List.of(entry.getKey()));
            }
        }
    }

    /**
     * Records a record that will not be processed: a dead letter with the original bytes and the reason, then a
     * final {@code failed} event when the job id and kind are known. COMMIT once both are acknowledged.
     */
    private Outcome deadLetter(ConsumerRecord<String, byte[]> record, JobRequest request, String code, String reason,
            Throwable error, int attempt) {
        DeadLetterBounds.Bounded bounded = DeadLetterBounds.of(record);
        DeadLetter deadLetter = DeadLetters.of(bounded.record(), reason + bounded.note(), error,
                options.groupId() + "/" + options.workerId(), clock.instant());
        UUID jobId = request != null && request.jobId() != null ? request.jobId() : deadLetter.jobId();
        JobKind kind = request != null ? request.kind() : Topics.kindOf(record.topic());
        try {
            publisher.publishDeadLetter(deadLetter);
            if (jobId != null && kind != null) {
                String tenant = request != null && validator.validate(request, JobValidator.Stage.QUEUED).stream()
                        .noneMatch(v -> v.field().equals("tenant")) ? request.tenant() : null;
                publisher.publish(new JobFailed(SchemaVersion.CURRENT, jobId, kind, tenant, clock.instant(), attempt,
                        code, reason, false), JobRecords.header(bounded.record().headers(), HeaderNames.TRACE_ID));
            }
        } catch (EventPublishException e) {
            LOG.warn("could not dead-letter {} ({}); it will be read again", position(record), e.getMessage());
            holdFor(options.jobRetry().backoff(1, ThreadLocalRandom.current().nextDouble()));
            return Outcome.REDELIVER;
        }
        LOG.warn("dead-lettered {} (job {}): {}", position(record), jobId, deadLetter.reason());
        return Outcome.COMMIT;
    }

    /** Runs until the job is done, polling with every partition paused; true if it was released for shutdown. */
    private boolean awaitWhileHolding(Future<OutputKeys> result, AtomicBoolean releaseRequested) {
        hold();
        try {
            long graceEnds = 0;
            boolean graceStarted = false;
            while (!result.isDone()) {
                fetchHighPriorityWhileHolding();
                poll();
                if (stopRequested.get()) {
                    if (!graceStarted) {
                        graceStarted = true;
                        graceEnds = System.nanoTime() + options.shutdownGrace().toNanos();
                        LOG.info("worker {} stopping; the running job gets up to {} s", options.workerId(),
                                options.shutdownGrace().toSeconds());
                    } else if (System.nanoTime() - graceEnds > 0 && !result.isDone()) {
                        releaseRequested.set(true);
                        result.cancel(true);
                        return true;
                    }
                }
            }
            return false;
        } finally {
            unhold();
        }
    }

    /** Waits (for a retry's backoff) while keeping the membership, unless a stop is requested. */
    private void holdFor(Duration pause) {
        hold();
        try {
            long ends = System.nanoTime() + pause.toNanos();
            while (System.nanoTime() - ends < 0 && !stopRequested.get()) {
                fetchHighPriorityWhileHolding();
                poll();
            }
        } finally {
            unhold();
        }
    }

    /** The first high-priority record waiting, else the first record: per partition, order is kept. */
    private ConsumerRecord<String, byte[]> takeNext() {
        for (Iterator<ConsumerRecord<String, byte[]>> it = pending.iterator(); it.hasNext(); ) {
            ConsumerRecord<String, byte[]> record = it.next();
            if (Topics.isHighPriority(record.topic())) {
                it.remove();
                return record;
            }
        }
        return pending.pollFirst();
    }

    /**
     * While holding, high-priority partitions stay fetched until a high-priority record waits in {@link #pending}:
     * that record is the next job, and nothing more needs to be fetched before it runs.
     */
    private void fetchHighPriorityWhileHolding() {
        List<TopicPartition> high = consumer.assignment().stream()
                .filter(p -> Topics.isHighPriority(p.topic())).toList();
        if (high.isEmpty()) {
            return;
        }
        boolean waiting = pending.stream().anyMatch(r -> Topics.isHighPriority(r.topic()));
        if (waiting) {
            consumer.pause(high);
        } else {
            consumer.resume(high);
        }
    }

    private void hold() {
        holding = true;
        consumer.pause(consumer.assignment());
    }

    private void unhold() {
        holding = false;
        consumer.resume(consumer.paused());
    }

    private void commit(ConsumerRecord<String, byte[]> record, TopicPartition partition) {
        if (!consumer.assignment().contains(partition)) {
            LOG.warn("{} moved to another worker while its job ran; that worker runs it again", partition);
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(partition, new OffsetAndMetadata(record.offset() + 1));
        for (int tries = 0; tries < 2; tries++) {
            try {
                consumer.commitSync(offsets);
                skipPast(record, partition);
                return;
            } catch (WakeupException e) {
                // close() woke the consumer during the commit; the commit is still wanted, so it is tried again
            } catch (KafkaException e) {
                // CommitFailedException (the group moved on), timeouts: the next owner or a later commit covers it
                LOG.warn("could not commit {} ({}); the job may run again", position(record), e.toString());
                return;
            }
        }
    }

    /**
     * Moves the partition's position past a committed record. Needed after a rebalance during the job gave the
     * partition back to this loop: the new assignment starts at the offset committed before the job, which would
     * fetch the finished job again. Otherwise the position is already past it and nothing changes.
     */
    private void skipPast(ConsumerRecord<String, byte[]> record, TopicPartition partition) {
        try {
            if (consumer.position(partition, options.ackTimeout()) <= record.offset()) {
                consumer.seek(partition, record.offset() + 1);
            }
        } catch (KafkaException e) {
            LOG.warn("could not check the position of {} after its commit ({}); the job may be read again",
                    partition, e.toString());
        }
    }

    private void redeliver(ConsumerRecord<String, byte[]> record, TopicPartition partition) {
        pending.removeIf(r -> r.topic().equals(partition.topic()) && r.partition() == partition.partition());
        if (consumer.assignment().contains(partition)) {
            consumer.seek(partition, record.offset());
        }
    }

    private void logUnacknowledged(Object ack, Throwable error) {
        if (error != null) {
            LOG.warn("an event of worker {} was not acknowledged: {}", options.workerId(), error.toString());
        }
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the loop's view consistent with the group's: drops what moved away, pauses what arrives mid-job. */
    private final class Rebalances implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            startBarrier.arrive(options.clientId());
            if (holding || !started) {
                consumer.pause(partitions); // nothing is fetched that the loop may not take yet
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            delayed.keySet().removeAll(partitions);
            if (runningPartition != null && partitions.contains(runningPartition)) {
                LOG.warn("{} is revoked while its job runs; unless the rebalance gives it back, the job's next owner"
                        + " runs it again and settles it", runningPartition);
            }
        }
    }
}
