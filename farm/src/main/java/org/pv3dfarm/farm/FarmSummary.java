package org.pv3dfarm.farm;

import java.net.URI;
import org.pv3dfarm.protocol.Topics;

/** The lines the launcher prints once the farm runs: where to reach each part, and how to try it. */
public final class FarmSummary {

    private FarmSummary() {
    }

    /**
     * The summary. The embedded store's secret key is printed (it is a local development default, on loopback);
     * an external store's is not.
     */
    public static String render(Farm farm) {
        FarmBackends backends = farm.backends();
        ObjectStoreEndpoint store = backends.objectStore();
        boolean externalStore = farm.options().externalObjectStore().isPresent();
        URI api = farm.apiUri();
        String secret = externalStore ? "(from " + FarmEnvironment.S3_SECRET_KEY + ")" : store.secretKey();
        return String.join(System.lineSeparator(),
                "",
                "PV3D farm is running (data: " + farm.layout().root() + ")",
                "  Job API     " + api + "   POST /v1/jobs, GET /v1/jobs/{id}",
                "  OpenAPI     " + api.resolve("/q/openapi") + "   health " + api.resolve("/q/health")
                        + "   metrics " + api.resolve("/q/metrics"),
                "  Kafka       " + backends.kafkaBootstrapServers() + "   " + backends.kafkaProvider(),
                "              requests " + Topics.GENERATE + ", events " + Topics.EVENTS + ", dead letters "
                        + Topics.DEAD_LETTER,
                "  S3          " + store.endpoint() + "   bucket " + store.bucket() + ", access key "
                        + store.accessKey() + ", secret key " + secret,
                "              " + backends.objectStoreProvider(),
                "  Worker      " + farm.worker().workerId() + " in the launcher's JVM, model "
                        + farm.worker().model().name() + " " + farm.worker().model().version() + " on "
                        + farm.worker().executionProvider(),
                "  API log     " + farm.layout().jobApiLog(),
                "",
                "Try:  curl -s -X POST " + api.resolve("/v1/jobs") + " -H 'Content-Type: application/json' -d '"
                        + DemoJob.request(FarmOptions.DEFAULT_DEMO_FRAMES) + "'",
                "      curl -s " + api.resolve("/v1/jobs/") + "JOB_ID",
                "");
    }
}
