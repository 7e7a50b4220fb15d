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

    private static volatile FarmInfrastructure farm;

    /** The running infrastructure, for tests that talk to Kafka or S3 directly. */
    static FarmInfrastructure farm() {
        return Objects.requireNonNull(farm, "the farm test resource has not started");
    }

    @Override
    public Map<String, String> start() {
        InfrastructureMode mode = InfrastructureMode.parse(System.getProperty("pv3d.infrastructure", "auto"));
        farm = FarmInfrastructure.start(InfrastructureOptions.builder().mode(mode).temporaryData().build());
        farm.createTopics(Topics.all().stream().map(t -> new NewTopic(t, 3, (short) 1)).toList());
        return Map.of(
                "pv3d.kafka.bootstrap-servers", farm.kafkaBootstrapServers(),
                "pv3d.s3.endpoint", farm.s3Endpoint().toString(),
                "pv3d.s3.access-key", farm.accessKey(),
                "pv3d.s3.secret-key", farm.secretKey());
    }

    @Override
    public void stop() {
        FarmInfrastructure running = farm;
        farm = null;
        if (running != null) {
            running.close();
        }
    }
}
