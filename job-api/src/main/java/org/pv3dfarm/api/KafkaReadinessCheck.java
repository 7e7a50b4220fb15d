package org.pv3dfarm.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** Ready when the Kafka cluster answers: without it the API can neither queue jobs nor learn their status. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    @Inject
    Admin admin;

    @Inject
    ApiConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka")
                .withData("bootstrap_servers", config.kafka().bootstrapServers());
        long timeout = config.kafka().healthTimeout().toMillis();
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout))
                    .nodes().get(timeout, TimeUnit.MILLISECONDS);
            return response.withData("nodes", nodes.size()).status(!nodes.isEmpty()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.withData("error", "interrupted").down().build();
        } catch (Exception e) {
            return response.withData("error", String.valueOf(e.getCause() != null ? e.getCause() : e)).down()
                    .build();
        }
    }
}
