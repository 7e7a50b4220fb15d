package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.Topics;

class FarmTopicsTest {

    @Test
    void everyProtocolTopicWithTheClustersReplicationAndEventsKeptForever() {
        var topics = FarmTopics.definitions(4);
        assertEquals(Topics.all(), topics.stream().map(NewTopic::name).toList());
        for (NewTopic topic : topics) {
            assertEquals(4, topic.numPartitions());
            assertEquals(-1, topic.replicationFactor(), "-1 asks for the cluster's default replication factor");
            Map<String, String> configs = topic.configs() == null ? Map.of() : topic.configs();
            if (topic.name().equals(Topics.EVENTS)) {
                assertEquals("-1", configs.get("retention.ms"));
            } else {
                assertTrue(configs.isEmpty(), topic.name() + " " + configs);
            }
        }
    }
}
