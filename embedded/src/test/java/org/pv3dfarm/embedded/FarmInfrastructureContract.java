package org.pv3dfarm.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.minio.MinioClient;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** What every {@link FarmInfrastructure} must do, run against each implementation. */
abstract class FarmInfrastructureContract {

    /** The infrastructure under test, started once per test class. */
    abstract FarmInfrastructure infrastructure();

    @Test
    void kafkaTopicsCanBeCreatedAndRecordsRoundTrip() throws Exception {
        FarmInfrastructure infra = infrastructure();
        infra.createTopics(List.of(new NewTopic("contract", 2, (short) 1)));
        infra.createTopics(List.of(new NewTopic("contract", 2, (short) 1)));
        KafkaTestClients.produce(infra.kafkaBootstrapServers(), "contract", Map.of("job-1", "hello"));
        var records = KafkaTestClients.consume(infra.kafkaBootstrapServers(), "contract", "contract-group", 1);
        assertEquals("hello", records.get(0).value());
    }

    @Test
    void theBucketExistsAndPresignedUrlsServeObjects() throws Exception {
        FarmInfrastructure infra = infrastructure();
        byte[] bytes = {10, 20, 30};
        try (MinioClient client = infra.newMinioClient()) {
            assertFalse(S3Clients.ensureBucket(client, infra.bucket()), "the bucket was created on start");
            ObjectStoreTestClients.put(client, infra.bucket(), "job-9/out.bin", bytes, "application/octet-stream");
            var response = ObjectStoreTestClients.fetch(
                    ObjectStoreTestClients.presignedGet(client, infra.bucket(), "job-9/out.bin"));
            assertEquals(200, response.statusCode());
            assertArrayEquals(bytes, response.body());
        }
    }

    @Test
    void itSaysWhyItWasChosen() {
        assertFalse(infrastructure().selectionReason().isBlank());
    }
}
