package org.pv3dfarm.farm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.pv3dfarm.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the protocol's topics ({@link Topics#all()}) where they are missing; existing topics are left exactly as
 * they are, so an operator's settings on an external cluster win.
 *
 * <p>New topics get the given partitions and the cluster's default replication factor. {@link Topics#EVENTS} keeps
 * its records forever ({@code retention.ms=-1}): job status is the fold of a job's events, so a job is visible as
 * long as its events are, and on a one-machine farm that should be as long as its outputs are.
 */
public final class FarmTopics {

    private static final Logger LOG = LoggerFactory.getLogger(FarmTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private FarmTopics() {
    }

    /** The topics to create, as described above. */
    static List<NewTopic> definitions(int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.all()) {
            NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty());
            if (name.equals(Topics.EVENTS)) {
                topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
            }
            topics.add(topic);
        }
        return topics;
    }

    /** Creates the missing topics and waits for the cluster to confirm them; returns the names it created. */
    public static List<String> ensure(String bootstrapServers, int partitions) {
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (var entry : admin.createTopics(definitions(partitions)).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + entry.getKey() + " on "
                                + bootstrapServers + " failed: " + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not confirm the topics within "
                    + TIMEOUT, e);
        }
        if (!created.isEmpty()) {
            LOG.info("created topics {}", created);
        }
        return created;
    }
}
