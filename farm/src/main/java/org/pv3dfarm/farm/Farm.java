package org.pv3dfarm.farm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.pv3dfarm.worker.RenderWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole farm on one machine: Kafka and the object store ({@link FarmBackends}), the protocol's topics, the job
 * API as a child process ({@link JobApiProcess}) and one render worker in this JVM.
 *
 * <p>{@link #start(FarmOptions)} returns once the API reports ready, so a client may submit at once. The API is
 * configured only through its standard environment variables, pointed at this farm's Kafka and object store.
 * {@link #close()} stops the API (no new jobs), then the worker (finishing or releasing its job), then the
 * servers; it is idempotent and safe from a shutdown hook.
 */
public final class Farm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Farm.class);
    /** The API listens on loopback only, like the embedded broker and store. */
    static final String API_HOST = "127.0.0.1";

    private final FarmOptions options;
    private final FarmBackends backends;
    private final JobApiProcess.Settings apiSettings;
    private final RenderWorker worker;
    private JobApiProcess api;
    private boolean closed;

    private Farm(FarmOptions options, FarmBackends backends, JobApiProcess.Settings apiSettings, JobApiProcess api,
            RenderWorker worker) {
        this.options = options;
        this.backends = backends;
        this.apiSettings = apiSettings;
        this.api = api;
        this.worker = worker;
    }

    /** Starts everything (see the class comment); on failure stops what was started and rethrows. */
    public static Farm start(FarmOptions options) {
        Objects.requireNonNull(options, "options");
        createDirectories(options.dataDir());
        Path apiJar = options.apiJar().orElseGet(JobApiJar::locate);
        FarmBackends backends = FarmBackends.start(options);
        JobApiProcess api = null;
        RenderWorker worker = null;
        try {
            FarmTopics.ensure(backends.kafkaBootstrapServers(), options.partitions());
            JobApiProcess.Settings apiSettings = new JobApiProcess.Settings(apiJar, API_HOST,
                    options.apiPort().resolve("API port"), apiEnvironment(backends), options.layout().jobApiLog(),
                    options.apiStartTimeout());
            // The API boots in its own process while the worker loads its model here.
            api = JobApiProcess.launch(apiSettings);
            worker = InProcessWorker.start(backends.kafkaBootstrapServers(), backends.objectStore(),
                    options.layout());
            api.awaitReady();
            return new Farm(options, backends, apiSettings, api, worker);
        } catch (RuntimeException | Error e) {
            closeQuietly(api);
            closeQuietly(worker);
            backends.close();
            throw e;
        }
    }

    /**
     * The job API's configuration: its {@code application.properties} keys as environment variables, pointed at
     * this farm. Everything else it reads from the launcher's environment or its defaults.
     */
    static Map<String, String> apiEnvironment(FarmBackends backends) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(FarmEnvironment.KAFKA_BOOTSTRAP_SERVERS, backends.kafkaBootstrapServers());
        env.put(FarmEnvironment.S3_ENDPOINT, backends.objectStore().endpoint().toString());
        env.put(FarmEnvironment.S3_ACCESS_KEY, backends.objectStore().accessKey());
        env.put(FarmEnvironment.S3_SECRET_KEY, backends.objectStore().secretKey());
        env.put(FarmEnvironment.S3_BUCKET, backends.objectStore().bucket()); // uploads and retention
        return env;
    }

    public FarmOptions options() {
        return options;
    }

    public FarmDataLayout layout() {
        return options.layout();
    }

    public FarmBackends backends() {
        return backends;
    }

    /** The render worker running in this JVM. */
    public RenderWorker worker() {
        return worker;
    }

    /** {@code http://127.0.0.1:PORT}, the job API. */
    public URI apiUri() {
        return apiSettings.baseUri();
    }

    /** The running API process. */
    public synchronized JobApiProcess jobApi() {
        return api;
    }

    /**
     * Stops the API (gracefully if it still runs) and starts a new one with the same settings and port; returns once
     * it is ready. Its status is rebuilt from the events topic.
     */
    public synchronized JobApiProcess restartJobApi() {
        if (closed) {
            throw new IllegalStateException("the farm is closed");
        }
        api.close();
        api = JobApiProcess.start(apiSettings);
        return api;
    }

    @Override
    public void close() {
        JobApiProcess running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = api;
        }
        LOG.info("stopping the farm");
        closeQuietly(running);
        closeQuietly(worker);
        backends.close();
        LOG.info("farm stopped");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }
}
