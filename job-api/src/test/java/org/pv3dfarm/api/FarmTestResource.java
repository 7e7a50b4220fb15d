package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.NewTopic;
import org.pv3dfarm.embedded.FarmInfrastructure;
import org.pv3dfarm.embedded.InfrastructureMode;
import org.pv3dfarm.embedded.InfrastructureOptions;
import org.pv3dfarm.protocol.Topics;

import java.util.Map;
import java.util.Objects;

/**
 * Real Kafka and S3 for the API's tests: Kafka and MinIO containers where a Docker engine answers, the in-process
 * KRaft broker and S3Proxy otherwise ({@code -Dpv3d.infrastructure=embedded|containers|auto}, default auto).
 * Creates the protocol's topics and points the API at them.
 */
public class FarmTestResource implements QuarkusTestResourceLifecycleManager {

    /** The acme tenant's webhook secret in the tests. */
    static final String WEBHOOK_SECRET = "acme-webhook-secret";

    private static volatile FarmInfrastructure farm;
    private static volatile WebhookReceiver webhooks;

    /** The acme tenant's webhook endpoint. */
    static WebhookReceiver webhooks() {
        return Objects.requireNonNull(webhooks, "the farm test resource has not started");
    }

    /** The running infrastructure, for tests that talk to Kafka or S3 directly. */
    static FarmInfrastructure farm() {
        return Objects.requireNonNull(farm, "the farm test resource has not started");
    }

    @Override
    public Map<String, String> start() {
        InfrastructureMode mode = InfrastructureMode.parse(System.getProperty("pv3d.infrastructure", "auto"));
        farm = FarmInfrastructure.start(InfrastructureOptions.builder().mode(mode).temporaryData().build());
        farm.createTopics(Topics.all().stream().map(t -> new NewTopic(t, 3, (short) 1)).toList());
        webhooks = new WebhookReceiver();
        return Map.of(
                "pv3d.kafka.bootstrap-servers", farm.kafkaBootstrapServers(),
                "pv3d.s3.endpoint", farm.s3Endpoint().toString(),
                "pv3d.s3.access-key", farm.accessKey(),
                "pv3d.s3.secret-key", farm.secretKey(),
                "pv3d.s3.bucket", farm.bucket(),
                "pv3d.tenants.acme.webhook-url", webhooks.url().toString(),
                "pv3d.tenants.acme.webhook-secret", WEBHOOK_SECRET,
                "pv3d.webhooks.initial-backoff", "100ms");
    }

    @Override
    public void stop() {
        WebhookReceiver receiver = webhooks;
        webhooks = null;
        if (receiver != null) {
            receiver.close();
        }
        FarmInfrastructure running = farm;
        farm = null;
        if (running != null) {
            running.close();
        }
    }
}
