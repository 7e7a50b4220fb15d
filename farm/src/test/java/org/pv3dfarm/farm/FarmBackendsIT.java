package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.embedded.EmbeddedObjectStore;
import org.pv3dfarm.embedded.S3Clients;
import org.pv3dfarm.protocol.Topics;

/**
 * The standard configuration switches one part to an external server: the farm then starts only the other part,
 * and leaves the external one running when it stops. The "external" servers are real ones started by the test.
 */
class FarmBackendsIT {

    private static FarmOptions.Builder options(Path dataDir) {
        return FarmOptions.builder().dataDir(dataDir).kafkaPort(PortRequest.exactly(0))
                .s3Port(PortRequest.exactly(0));
    }

    @Test
    void anExternalObjectStoreIsUsedAndOnlyTheBrokerStarts(@TempDir Path dataDir) throws Exception {
        try (EmbeddedObjectStore external = EmbeddedObjectStore.builder().accessKey("minio-user")
                .secretKey("minio-secret").bucket("existing").start()) {
            ObjectStoreEndpoint store = new ObjectStoreEndpoint(external.endpoint(), "minio-user", "minio-secret",
                    "farm-outputs");
            try (FarmBackends backends = FarmBackends.start(options(dataDir).externalObjectStore(store).build())) {
                assertEquals(store, backends.objectStore());
                assertTrue(backends.objectStoreProvider().startsWith("external"), backends.objectStoreProvider());
                assertTrue(backends.kafkaProvider().startsWith("embedded"), backends.kafkaProvider());
                assertTrue(Files.exists(dataDir.resolve("kafka/meta.properties")), "the broker's data is in kafka/");
                assertFalse(Files.exists(dataDir.resolve("objects")), "no object store of its own");
                assertTrue(bucketExists(store), "the missing bucket is created");
                FarmTopics.ensure(backends.kafkaBootstrapServers(), 1);
            }
            assertTrue(bucketExists(store), "the external store still runs after the farm stopped");
        }
    }

    @Test
    void anExternalBrokerIsUsedAndOnlyTheObjectStoreStarts(@TempDir Path dataDir, @TempDir Path brokerDir)
            throws Exception {
        try (EmbeddedKafkaBroker external = EmbeddedKafkaBroker.builder().dataDir(brokerDir).start()) {
            try (FarmBackends backends = FarmBackends.start(options(dataDir)
                    .externalKafka(external.bootstrapServers()).build())) {
                assertEquals(external.bootstrapServers(), backends.kafkaBootstrapServers());
                assertTrue(backends.kafkaProvider().startsWith("external"), backends.kafkaProvider());
                assertTrue(backends.objectStoreProvider().startsWith("embedded"), backends.objectStoreProvider());
                assertFalse(Files.exists(dataDir.resolve("kafka")), "no broker of its own");
                assertTrue(Files.isDirectory(dataDir.resolve("objects").resolve(backends.objectStore().bucket())),
                        "the store keeps its bucket as a directory under objects/");

                assertEquals(Topics.all().size(), FarmTopics.ensure(backends.kafkaBootstrapServers(), 2).size());
                assertTrue(FarmTopics.ensure(backends.kafkaBootstrapServers(), 2).isEmpty(),
                        "existing topics are left alone");
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    external.bootstrapServers()))) {
                assertTrue(admin.listTopics().names().get().containsAll(Topics.all()),
                        "the external broker still runs, with the farm's topics");
                var events = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get()
                        .get(Topics.EVENTS);
                assertEquals(2, events.partitions().size());
            }
        }
    }

    private static boolean bucketExists(ObjectStoreEndpoint store) throws Exception {
        try (MinioClient client = S3Clients.minio(store.endpoint(), store.accessKey(), store.secretKey())) {
            return client.bucketExists(BucketExistsArgs.builder().bucket(store.bucket()).build());
        }
    }
}
