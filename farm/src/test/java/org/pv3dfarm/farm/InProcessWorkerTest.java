package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.worker.WorkerConfig;

class InProcessWorkerTest {

    private static final ObjectStoreEndpoint STORE = new ObjectStoreEndpoint(URI.create("http://127.0.0.1:9123"),
            "farm-key", "farm-secret", "farm-bucket");
    private static final FarmDataLayout LAYOUT = new FarmDataLayout(Path.of("/srv/farm"));

    @Test
    void theFarmsEndpointsWinOverTheEnvironment() {
        WorkerConfig config = InProcessWorker.config(Map.of(
                        "PV3D_KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092",
                        "PV3D_S3_ENDPOINT", "http://elsewhere:9000",
                        "PV3D_S3_BUCKET", "other"),
                Map.of("pv3d.s3.access-key", "other-key"), "127.0.0.1:19092", STORE, LAYOUT);
        assertEquals("127.0.0.1:19092", config.kafkaBootstrapServers());
        assertEquals(STORE.endpoint(), config.s3Endpoint());
        assertEquals("farm-key", config.s3AccessKey());
        assertEquals("farm-secret", config.s3SecretKey());
        assertEquals("farm-bucket", config.s3Bucket());
        assertEquals(LAYOUT.work(), config.workDir());
    }

    @Test
    void theWorkersOtherSettingsStillComeFromTheEnvironmentAndProperties() {
        WorkerConfig config = InProcessWorker.config(Map.of("PV3D_WORKER_BATCH_FRAMES", "2",
                "PV3D_WORKER_GROUP_ID", "from-env"), Map.of("pv3d.worker.group-id", "from-property"),
                "127.0.0.1:19092", STORE, LAYOUT);
        assertEquals(2, config.batchFrames());
        assertEquals("from-property", config.groupId());
    }
}
