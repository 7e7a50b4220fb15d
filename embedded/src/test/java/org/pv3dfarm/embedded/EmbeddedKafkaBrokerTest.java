package org.pv3dfarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void producedRecordsAreConsumedInOrderPerKey() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().defaultPartitions(2).start()) {
            broker.createTopics("round-trip");
            Map<String, String> sent = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                sent.put("key-" + i, "value-" + i);
            }
            KafkaTestClients.produce(broker.bootstrapServers(), "round-trip", sent);

            List<ConsumerRecord<String, String>> received =
                    KafkaTestClients.consume(broker.bootstrapServers(), "round-trip", "g1", 20);

            assertEquals(sent, received.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value)));
            assertEquals(Set.of(0, 1), received.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()),
                    "the default of 2 partitions applies to topics created without a count");
        }
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsRecordsAndCommittedOffsets(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("kafka");
        String clusterId;
        int firstPort;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).start()) {
            assertTrue(broker.persistent());
            clusterId = broker.clusterId();
            firstPort = broker.port();
            broker.createTopics(List.of(new NewTopic("jobs", 1, (short) 1)));
            KafkaTestClients.produce(broker.bootstrapServers(), "jobs",
                    Map.of("a", "1", "b", "2", "c", "3"));
            assertEquals(3, KafkaTestClients.consume(broker.bootstrapServers(), "jobs", "worker", 3).size());
            KafkaTestClients.produce(broker.bootstrapServers(), "jobs", Map.of("d", "4"));
        }
        assertTrue(Files.exists(dataDir.resolve("meta.properties")), "a given data directory is kept");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).start()) {
            assertEquals(clusterId, broker.clusterId(), "the second start reuses the formatted storage");
            try (Admin admin = Admin.create(broker.clientConfig())) {
                assertTrue(admin.listTopics().names().get().contains("jobs"));
            }
            List<ConsumerRecord<String, String>> rest =
                    KafkaTestClients.consume(broker.bootstrapServers(), "jobs", "worker", 1);
            assertEquals("d", rest.get(0).key(), "the group resumes after its committed offset");
            assertEquals(3, rest.get(0).offset());
            List<ConsumerRecord<String, String>> all =
                    KafkaTestClients.consume(broker.bootstrapServers(), "jobs", "fresh-group", 4);
            assertEquals(List.of("a", "b", "c", "d"), all.stream().map(ConsumerRecord::key).sorted().toList());
            assertNotEquals(0, firstPort);
        }
    }

    @Test
    void temporaryDataDirectoryIsDeletedOnClose() {
        Path dataDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().startupTimeout(Duration.ofSeconds(30)).start()) {
            dataDir = broker.dataDir();
            assertFalse(broker.persistent());
            assertTrue(Files.isDirectory(dataDir));
        }
        assertFalse(Files.exists(dataDir));
    }

    @Test
    void builderRejectsBadValuesNamingTheField(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        var builder = EmbeddedKafkaBroker.builder();
        assertMessageContains("port", assertThrows(IllegalArgumentException.class, () -> builder.port(-1)));
        assertMessageContains("port", assertThrows(IllegalArgumentException.class, () -> builder.port(65_536)));
        assertMessageContains("controllerPort",
                assertThrows(IllegalArgumentException.class, () -> builder.controllerPort(70_000)));
        assertMessageContains("defaultPartitions",
                assertThrows(IllegalArgumentException.class, () -> builder.defaultPartitions(0)));
        assertMessageContains("dataDir", assertThrows(IllegalArgumentException.class, () -> builder.dataDir(file)));
        assertMessageContains("startupTimeout",
                assertThrows(IllegalArgumentException.class, () -> builder.startupTimeout(Duration.ZERO)));
        assertMessageContains("node.id",
                assertThrows(IllegalArgumentException.class, () -> builder.brokerProperty("node.id", "2")));
        assertMessageContains("must differ", assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafkaBroker.builder().port(19092).controllerPort(19092).start()));
    }

    static void assertMessageContains(String expected, Throwable error) {
        assertTrue(error.getMessage().contains(expected),
                () -> "message should name '" + expected + "': " + error.getMessage());
    }
}
