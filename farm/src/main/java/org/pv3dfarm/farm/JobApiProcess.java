package org.pv3dfarm.farm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job API (Quarkus, {@code quarkus-run.jar}) as a child process of the launcher: configured only through
 * environment variables (the API's {@code application.properties} keys, upper case; {@code QUARKUS_HTTP_HOST} and
 * {@code QUARKUS_HTTP_PORT} from the settings), its output appended to a log file, ready when
 * {@code /q/health/ready} answers 200 (Kafka reachable and job status rebuilt from the events).
 *
 * <p>{@link #close()} asks it to stop (SIGTERM, Quarkus shuts down gracefully) and kills it after
 * {@link #STOP_GRACE}; {@link #kill()} kills it at once, as a crash would.
 */
public final class JobApiProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobApiProcess.class);
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 40;

    /**
     * How to run the API.
     *
     * @param jar          {@code quarkus-run.jar}
     * @param host         the interface the API binds and the address clients use
     * @param port         the HTTP port (already chosen: the launcher needs it before the API starts)
     * @param environment  set on top of this process' environment (host and port are set from the fields)
     * @param logFile      where stdout and stderr are appended
     * @param startTimeout how long {@link #awaitReady()} waits
     */
    public record Settings(Path jar, String host, int port, Map<String, String> environment, Path logFile,
                           Duration startTimeout) {
        public Settings {
            Objects.requireNonNull(jar, "jar");
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            environment = Map.copyOf(environment);
            Objects.requireNonNull(logFile, "logFile");
            Objects.requireNonNull(startTimeout, "startTimeout");
        }

        public URI baseUri() {
            return URI.create("http://" + host + ":" + port);
        }
    }

    private final Settings settings;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private JobApiProcess(Settings settings, Process process) {
        this.settings = settings;
        this.process = process;
    }

    /** Launches the API and waits until it is ready; if it is not, it is stopped and the error holds its log tail. */
    public static JobApiProcess start(Settings settings) {
        return launch(settings).awaitReady();
    }

    /** Launches the API without waiting (call {@link #awaitReady()}). */
    public static JobApiProcess launch(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", settings.jar().toString());
        try {
            Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
            Files.writeString(settings.logFile(), "--- job API starting at " + Instant.now() + " on port "
                    + settings.port() + " ---" + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(settings.logFile().toAbsolutePath().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()));
            builder.environment().putAll(settings.environment());
            builder.environment().put("QUARKUS_HTTP_HOST", settings.host());
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(settings.port()));
            Process process = builder.start();
            LOG.info("job API starting (pid {}, port {}, log {})", process.pid(), settings.port(), settings.logFile());
            return new JobApiProcess(settings, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the job API (" + String.join(" ", command) + ")", e);
        }
    }

    /**
     * Waits until {@code /q/health/ready} answers 200. Fails, after stopping the process, if it exits or is not
     * ready within {@link Settings#startTimeout()}.
     */
    public JobApiProcess awaitReady() {
        long started = System.nanoTime();
        long deadline = started + settings.startTimeout().toNanos();
        URI ready = settings.baseUri().resolve("/q/health/ready");
        String lastAnswer = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the job API exited with status " + process.exitValue()
                        + " while starting; last lines of " + settings.logFile() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready)
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    LOG.info("job API ready at {} in {} ms", settings.baseUri(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    return this;
                }
                lastAnswer = response.statusCode() + " " + response.body();
            } catch (ConnectException e) {
                lastAnswer = "not listening yet";
            } catch (IOException e) {
                lastAnswer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for the job API", e);
            }
            sleep(POLL_INTERVAL);
        }
        close();
        throw new IllegalStateException("the job API was not ready within " + settings.startTimeout() + " (last "
                + "answer of " + ready + ": " + lastAnswer + "); last lines of " + settings.logFile() + ":\n"
                + logTail());
    }

    public Settings settings() {
        return settings;
    }

    /** {@code http://host:port}. */
    public URI baseUri() {
        return settings.baseUri();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL) and waits for it to be gone: what a crash or an OOM kill looks like. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        LOG.info("job API (pid {}) killed", process.pid());
    }

    /** Stops the API gracefully (SIGTERM), killing it if it takes longer than {@link #STOP_GRACE}. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(STOP_GRACE)) {
            LOG.warn("job API (pid {}) did not stop within {}; killing it", process.pid(), STOP_GRACE);
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
        LOG.info("job API (pid {}) stopped", process.pid());
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the API's log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(settings.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES),
                    lines.size())));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read the log: " + e + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
