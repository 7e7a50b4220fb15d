package org.pv3dfarm.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process' small HTTP endpoint for orchestrators (JDK {@code HttpServer}, port
 * {@code PV3D_WORKER_HEALTH_PORT}). Paths follow the job API's Quarkus ones, so probes look alike:
 *
 * <ul>
 *   <li>{@code GET /q/health/live}: 200 {@code {"status":"UP"}} unless {@link WorkerProbe#live()} is false (503,
 *       {@code DOWN}): the liveness probe.</li>
 *   <li>{@code GET /q/health/ready}: 200 while {@link WorkerProbe#ready()}, else 503: the readiness probe (a
 *       draining worker turns unready first).</li>
 *   <li>{@code GET /q/health}: both checks.</li>
 *   <li>{@code GET /q/metrics}: Prometheus text: {@code pv3d_worker_live}, {@code pv3d_worker_ready},
 *       {@code pv3d_worker_info{...} 1} (worker, model, execution provider: shows a CUDA fallback) and JVM heap.</li>
 *   <li>{@code GET|POST /drain}: {@link WorkerProbe#drain()}, answered 200 once the worker has finished or released
 *       its job and committed. A Kubernetes {@code preStop} {@code httpGet} calls it, so the pod's SIGTERM finds a
 *       drained worker.</li>
 * </ul>
 * Requests are served by a few daemon threads, so probes keep answering while a drain blocks one of them.
 */
public final class WorkerHealthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerHealthServer.class);
    private static final int THREADS = 3;
    /** How long {@link #close()} lets a running exchange (a drain answering) finish. */
    private static final int STOP_DELAY_SECONDS = 1;

    public static final String LIVE = "/q/health/live";
    public static final String READY = "/q/health/ready";
    public static final String HEALTH = "/q/health";
    public static final String METRICS = "/q/metrics";
    public static final String DRAIN = "/drain";

    private final HttpServer server;
    private final ExecutorService threads;
    private final WorkerProbe probe;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WorkerHealthServer(HttpServer server, ExecutorService threads, WorkerProbe probe) {
        this.server = server;
        this.threads = threads;
        this.probe = probe;
    }

    /** Listens on every interface at {@code port} (0: any free port) and serves {@code probe}. */
    public static WorkerHealthServer start(int port, WorkerProbe probe) {
        Objects.requireNonNull(probe, "probe");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on health port " + port, e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "pv3d-worker-health-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        WorkerHealthServer health = new WorkerHealthServer(server, threads, probe);
        server.createContext("/", health::handle);
        server.setExecutor(threads);
        server.start();
        LOG.info("health endpoint on port {} ({}, {}, {}, {})", health.port(), LIVE, READY, METRICS, DRAIN);
        return health;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            boolean get = method.equals("GET") || method.equals("HEAD");
            switch (path) {
                case LIVE -> health(exchange, get, probe.live(), null);
                case READY -> health(exchange, get, probe.ready(), null);
                case HEALTH -> health(exchange, get, probe.live() && probe.ready(), probe.live());
                case METRICS -> {
                    if (allowed(exchange, get, "GET, HEAD")) {
                        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics());
                    }
                }
                case DRAIN -> {
                    if (allowed(exchange, get || method.equals("POST"), "GET, POST")) {
                        LOG.info("drain requested over HTTP");
                        probe.drain();
                        send(exchange, 200, "application/json", "{\"status\":\"DRAINED\"}");
                    }
                }
                default -> send(exchange, 404, "application/json", "{\"status\":404,\"title\":\"no such path\"}");
            }
        } catch (RuntimeException e) {
            LOG.warn("health endpoint failed on {}: {}", exchange.getRequestURI(), e.toString());
            send(exchange, 500, "application/json", "{\"status\":500,\"title\":\"" + json(e.toString()) + "\"}");
        }
    }

    /** {@code up} decides the status; {@code live}, when given, is reported as its own check. */
    private void health(HttpExchange exchange, boolean get, boolean up, Boolean live) throws IOException {
        if (!allowed(exchange, get, "GET, HEAD")) {
            return;
        }
        String checks = live == null ? "" : ",\"checks\":[{\"name\":\"live\",\"status\":\"" + upDown(live)
                + "\"},{\"name\":\"ready\",\"status\":\"" + upDown(probe.ready()) + "\"}]";
        send(exchange, up ? 200 : 503, "application/json", "{\"status\":\"" + upDown(up) + "\"" + checks + "}");
    }

    private String metrics() {
        StringBuilder out = new StringBuilder();
        gauge(out, "pv3d_worker_live", "1 unless the worker needs a restart", "", probe.live() ? 1 : 0);
        gauge(out, "pv3d_worker_ready", "1 while the worker takes jobs", "", probe.ready() ? 1 : 0);
        StringBuilder labels = new StringBuilder("{");
        for (Map.Entry<String, String> label : probe.info().entrySet()) {
            labels.append(labels.length() > 1 ? "," : "").append(label.getKey()).append("=\"")
                    .append(label.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        }
        gauge(out, "pv3d_worker_info", "the worker's identity, model and execution provider", labels + "}", 1);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        gauge(out, "jvm_memory_used_bytes", "JVM memory in use", "{area=\"heap\"}", heap.getUsed());
        gauge(out, "jvm_memory_max_bytes", "JVM memory limit", "{area=\"heap\"}", heap.getMax());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static boolean allowed(HttpExchange exchange, boolean allowed, String allow) throws IOException {
        if (!allowed) {
            exchange.getResponseHeaders().set("Allow", allow);
            send(exchange, 405, "application/json", "{\"status\":405,\"title\":\"method not allowed\"}");
        }
        return allowed;
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream body_ = exchange.getResponseBody()) {
                body_.write(bytes);
            }
        }
    }

    private static String upDown(boolean up) {
        return up ? "UP" : "DOWN";
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
    }

    /** Stops listening (a drain that is answering gets a moment to finish), then ends the threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(STOP_DELAY_SECONDS);
        threads.shutdownNow();
    }
}
