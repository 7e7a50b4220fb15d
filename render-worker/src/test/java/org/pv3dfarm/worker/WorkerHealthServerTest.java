package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerHealthServerTest {

    /** A worker double whose state the test sets; its drain blocks until released. */
    private static final class FakeWorker implements WorkerProbe {
        volatile boolean live = true;
        volatile boolean ready = true;
        final CountDownLatch drainStarted = new CountDownLatch(1);
        final CountDownLatch finishDrain = new CountDownLatch(1);

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public void drain() {
            ready = false;
            drainStarted.countDown();
            try {
                finishDrain.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Map<String, String> info() {
            Map<String, String> info = new LinkedHashMap<>();
            info.put("worker", "gpu-\"7\"");
            info.put("execution_provider", "CUDA");
            return info;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeWorker worker = new FakeWorker();
    private final WorkerHealthServer server = WorkerHealthServer.start(0, worker);

    @AfterEach
    void stop() {
        worker.finishDrain.countDown();
        server.close();
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswerUpOrDownWithTheStatusCodesKubernetesReads() throws Exception {
        assertEquals(200, call("GET", WorkerHealthServer.LIVE).statusCode());
        assertEquals("{\"status\":\"UP\"}", call("GET", WorkerHealthServer.READY).body());

        worker.ready = false;
        HttpResponse<String> ready = call("GET", WorkerHealthServer.READY);
        assertEquals(503, ready.statusCode());
        assertEquals("{\"status\":\"DOWN\"}", ready.body());
        assertEquals(200, call("GET", WorkerHealthServer.LIVE).statusCode(), "an unready worker is still alive");
        HttpResponse<String> all = call("GET", WorkerHealthServer.HEALTH);
        assertEquals(503, all.statusCode());
        assertTrue(all.body().contains("{\"name\":\"live\",\"status\":\"UP\"},{\"name\":\"ready\",\"status\":\"DOWN\"}"),
                all.body());

        worker.live = false;
        assertEquals(503, call("GET", WorkerHealthServer.LIVE).statusCode());
    }

    @Test
    void metricsAreInPrometheusTextWithEscapedLabels() throws Exception {
        worker.ready = false;
        HttpResponse<String> metrics = call("GET", WorkerHealthServer.METRICS);

        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String body = metrics.body();
        assertTrue(body.contains("\npv3d_worker_live 1\n"), body);
        assertTrue(body.contains("\npv3d_worker_ready 0\n"), body);
        assertTrue(body.contains("pv3d_worker_info{worker=\"gpu-\\\"7\\\"\",execution_provider=\"CUDA\"} 1\n"), body);
        assertTrue(body.contains("# TYPE jvm_memory_used_bytes gauge\njvm_memory_used_bytes{area=\"heap\"} "), body);
    }

    @Test
    void drainAnswersOnlyOnceTheWorkerHasDrainedWhileProbesKeepAnswering() throws Exception {
        CompletableFuture<HttpResponse<String>> drain = CompletableFuture.supplyAsync(() -> {
            try {
                return call("GET", WorkerHealthServer.DRAIN); // what a preStop httpGet sends
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(worker.drainStarted.await(10, TimeUnit.SECONDS));
        assertEquals(503, call("GET", WorkerHealthServer.READY).statusCode(), "unready as soon as the drain starts");
        assertEquals(200, call("GET", WorkerHealthServer.LIVE).statusCode(), "and alive, so it is not restarted");
        assertFalse(drain.isDone(), "the drain is answered only when it is over");

        worker.finishDrain.countDown();
        HttpResponse<String> drained = drain.get(10, TimeUnit.SECONDS);
        assertEquals(200, drained.statusCode());
        assertEquals("{\"status\":\"DRAINED\"}", drained.body());
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, call("GET", "/q/health/started-maybe").statusCode());
        HttpResponse<String> post = call("POST", WorkerHealthServer.READY);
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, call("DELETE", WorkerHealthServer.DRAIN).statusCode());
        assertEquals(1, worker.drainStarted.getCount(), "a refused method drains nothing");
    }

    @Test
    void thePortComesFromItsVariableAndIsOffByDefault() {
        assertEquals(WorkerConfig.NO_HEALTH_PORT, WorkerConfig.fromEnvironment(Map.of()).healthPort());
        assertEquals(8081, WorkerConfig.fromEnvironment(Map.of("PV3D_WORKER_HEALTH_PORT", "8081")).healthPort());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerConfig.fromEnvironment(Map.of("PV3D_WORKER_HEALTH_PORT", "70000")));
        assertTrue(e.getMessage().startsWith("environment variable PV3D_WORKER_HEALTH_PORT: healthPort must be"),
                e.getMessage());
    }
}
