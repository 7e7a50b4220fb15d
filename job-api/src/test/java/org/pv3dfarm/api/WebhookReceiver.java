package org.pv3dfarm.api;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook endpoint for the tests (the JDK's HTTP server on loopback): records every delivery, and answers 500 to
 * the first delivery of each event id so that the dispatcher's retry is exercised, 200 afterwards; 503 to every
 * delivery about a job it was told to {@link #refuse} (an endpoint that is down for it).
 */
final class WebhookReceiver implements AutoCloseable {

    /** One POST as received. */
    record Delivery(String eventId, String type, int attempt, String signature, byte[] body, int answered) {
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final Set<java.util.UUID> refused = ConcurrentHashMap.newKeySet();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String eventId = exchange.getRequestHeaders().getFirst("X-Pv3d-Event-Id");
            int status = refused.contains(org.pv3dfarm.protocol.JobCodec.instance().decodeEvent(body).jobId()) ? 503
                    : failedOnce.add(eventId) ? 500 : 200;
            deliveries.add(new Delivery(eventId, exchange.getRequestHeaders().getFirst("X-Pv3d-Event-Type"),
                    Integer.parseInt(exchange.getRequestHeaders().getFirst("X-Pv3d-Attempt")),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** Answers 503 to every delivery about the job until {@link #accept}. */
    void refuse(java.util.UUID job) {
        refused.add(job);
    }

    void accept(java.util.UUID job) {
        refused.remove(job);
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
