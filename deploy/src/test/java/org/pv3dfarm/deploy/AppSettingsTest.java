package org.pv3dfarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AppSettingsTest {

    private static final Path API_PROPERTIES = KubernetesManifestsTest.ROOT
            .resolve("job-api/src/main/resources/application.properties");

    @Test
    void theWorkerReadsItsSettingsAndTheLogLevel() {
        assertTrue(AppSettings.workerReads("PV3D_KAFKA_BOOTSTRAP_SERVERS"));
        assertTrue(AppSettings.workerReads("PV3D_WORKER_HEALTH_PORT"));
        assertTrue(AppSettings.workerReads("PV3D_LOG_LEVEL"), "through its logback configuration");
        assertFalse(AppSettings.workerReads("PV3D_S3_PRESIGN_EXPIRY"), "an API setting");
        assertFalse(AppSettings.workerReads("PV3D_WORKER_BATCH_SIZE"), "a typo of PV3D_WORKER_BATCH_FRAMES");
    }

    @Test
    void theApiReadsItsMappingAndPropertiesAsQuarkusNamesThem() {
        assertEquals("bootstrap-servers", AppSettings.kebab("bootstrapServers"));
        assertTrue(AppSettings.apiReads("PV3D_KAFKA_BOOTSTRAP_SERVERS", API_PROPERTIES));
        assertTrue(AppSettings.apiReads("PV3D_S3_PRESIGN_ENDPOINT", API_PROPERTIES), "optional, not in the file");
        assertTrue(AppSettings.apiReads("PV3D_MODELS_PV3D_FFHQ_Z_DIM", API_PROPERTIES), "a map entry");
        assertTrue(AppSettings.apiReads("QUARKUS_HTTP_PORT", API_PROPERTIES));
        assertTrue(AppSettings.apiReads("PV3D_S3_BUCKET", API_PROPERTIES), "uploads and retention");
        assertFalse(AppSettings.apiReads("PV3D_S3_BUCKETS", API_PROPERTIES), "a typo");
        assertFalse(AppSettings.apiReads("PV3D_WORKER_HEALTH_PORT", API_PROPERTIES));
    }
}
