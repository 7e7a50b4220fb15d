package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FarmEnvironmentTest {

    private static FarmOptions apply(Map<String, String> env) {
        return FarmEnvironment.apply(env, FarmOptions.builder()).build();
    }

    @Test
    void nothingSetMeansNothingExternal() {
        FarmOptions options = apply(Map.of("PV3D_KAFKA_BOOTSTRAP_SERVERS", " ", "HOME", "/root"));
        assertTrue(options.externalKafka().isEmpty());
        assertTrue(options.externalObjectStore().isEmpty());
    }

    @Test
    void theStandardVariablesMakeEachPartExternal() {
        FarmOptions options = apply(Map.of(
                "PV3D_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "PV3D_S3_ENDPOINT", "http://minio:9000",
                "PV3D_S3_ACCESS_KEY", "farm",
                "PV3D_S3_SECRET_KEY", "farm-secret",
                "PV3D_S3_BUCKET", "renders"));
        assertEquals("kafka:9092", options.externalKafka().orElseThrow());
        assertEquals(new ObjectStoreEndpoint(URI.create("http://minio:9000"), "farm", "farm-secret", "renders"),
                options.externalObjectStore().orElseThrow());
    }

    @Test
    void theBucketDefaultsToTheFarmsBucket() {
        FarmOptions options = apply(Map.of("PV3D_S3_ENDPOINT", "http://minio:9000",
                "PV3D_S3_ACCESS_KEY", "farm", "PV3D_S3_SECRET_KEY", "farm-secret"));
        assertEquals("pv3d", options.externalObjectStore().orElseThrow().bucket());
        assertTrue(options.externalKafka().isEmpty());
    }

    @Test
    void missingOrMalformedVariablesAreNamed() {
        IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class, () -> apply(Map.of(
                "PV3D_S3_ENDPOINT", "http://minio:9000", "PV3D_S3_ACCESS_KEY", "farm")));
        assertTrue(noSecret.getMessage().contains("PV3D_S3_SECRET_KEY"), noSecret.getMessage());
        IllegalArgumentException badEndpoint = assertThrows(IllegalArgumentException.class, () -> apply(Map.of(
                "PV3D_S3_ENDPOINT", "minio:9000", "PV3D_S3_ACCESS_KEY", "farm", "PV3D_S3_SECRET_KEY", "x")));
        assertTrue(badEndpoint.getMessage().startsWith("PV3D_S3_ENDPOINT"), badEndpoint.getMessage());
        IllegalArgumentException badKafka = assertThrows(IllegalArgumentException.class, () -> apply(Map.of(
                "PV3D_KAFKA_BOOTSTRAP_SERVERS", "kafka")));
        assertTrue(badKafka.getMessage().startsWith("PV3D_KAFKA_BOOTSTRAP_SERVERS"), badKafka.getMessage());
    }
}
