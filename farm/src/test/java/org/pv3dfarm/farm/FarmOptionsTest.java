package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.embedded.InfrastructureMode;

class FarmOptionsTest {

    @Test
    void defaultsRunTheEmbeddedFarmInDataOfTheWorkingDirectory() {
        FarmOptions options = FarmOptions.builder().build();
        assertEquals(Path.of("data").toAbsolutePath().normalize(), options.dataDir());
        assertEquals(InfrastructureMode.EMBEDDED, options.infrastructure());
        assertEquals(PortRequest.preferred(8080), options.apiPort());
        assertEquals(PortRequest.preferred(9092), options.kafkaPort());
        assertEquals(PortRequest.preferred(9000), options.s3Port());
        assertTrue(options.externalKafka().isEmpty());
        assertTrue(options.externalObjectStore().isEmpty());
        assertFalse(options.demo());
        assertEquals(16, options.demoFrames());
        assertFalse(options.exitAfterDemo());
    }

    @Test
    void theLayoutLivesUnderTheDataDirectory(@TempDir Path dir) {
        FarmDataLayout layout = FarmOptions.builder().dataDir(dir).build().layout();
        assertEquals(dir.resolve("kafka"), layout.kafka());
        assertEquals(dir.resolve("objects"), layout.objects());
        assertEquals(dir.resolve("logs").resolve("job-api.log"), layout.jobApiLog());
        assertEquals(dir.resolve("demo"), layout.demo());
    }

    @Test
    void eachSetterRejectsBadValuesNamingTheField(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-dir"));
        FarmOptions.Builder builder = FarmOptions.builder();
        assertMessage("dataDir", assertThrows(IllegalArgumentException.class, () -> builder.dataDir(file)));
        assertMessage("demoFrames", assertThrows(IllegalArgumentException.class, () -> builder.demoFrames(0)));
        assertMessage("demoFrames", assertThrows(IllegalArgumentException.class, () -> builder.demoFrames(1025)));
        assertMessage("partitions", assertThrows(IllegalArgumentException.class, () -> builder.partitions(0)));
        assertMessage("externalKafka", assertThrows(IllegalArgumentException.class,
                () -> builder.externalKafka("localhost")));
        assertMessage("apiJar", assertThrows(IllegalArgumentException.class,
                () -> builder.apiJar(dir.resolve("missing.jar"))));
        assertMessage("apiStartTimeout", assertThrows(IllegalArgumentException.class,
                () -> builder.apiStartTimeout(Duration.ofSeconds(1))));
        assertMessage("demoTimeout", assertThrows(IllegalArgumentException.class,
                () -> builder.demoTimeout(Duration.ZERO)));
        assertThrows(NullPointerException.class, () -> builder.infrastructure(null));
    }

    @Test
    void exitNeedsADemo() {
        assertMessage("exitAfterDemo", assertThrows(IllegalArgumentException.class,
                () -> FarmOptions.builder().exitAfterDemo(true).build()));
        assertTrue(FarmOptions.builder().demo(true).exitAfterDemo(true).build().exitAfterDemo());
    }

    @Test
    void containersCannotBeHalfExternal() {
        ObjectStoreEndpoint minio = new ObjectStoreEndpoint(URI.create("http://minio:9000"), "key", "secret-key",
                "pv3d");
        assertMessage("containers", assertThrows(IllegalArgumentException.class, () -> FarmOptions.builder()
                .infrastructure(InfrastructureMode.CONTAINERS).externalKafka("kafka:9092").build()));
        assertMessage("containers", assertThrows(IllegalArgumentException.class, () -> FarmOptions.builder()
                .infrastructure(InfrastructureMode.CONTAINERS).externalObjectStore(minio).build()));
        FarmOptions mixed = FarmOptions.builder().externalKafka("kafka:9092,kafka2:9092").build();
        assertEquals("kafka:9092,kafka2:9092", mixed.externalKafka().orElseThrow());
    }

    @Test
    void theSecretKeyStaysOutOfToString() {
        ObjectStoreEndpoint minio = new ObjectStoreEndpoint(URI.create("https://s3.example.com"), "key",
                "very-secret-value", "pv3d");
        String text = FarmOptions.builder().externalObjectStore(minio).build().toString();
        assertTrue(text.contains("s3.example.com"), text);
        assertFalse(text.contains("very-secret-value"), text);
    }

    @Test
    void anObjectStoreEndpointIsAServerNotAPath() {
        assertThrows(IllegalArgumentException.class, () -> new ObjectStoreEndpoint(
                URI.create("http://minio:9000/pv3d"), "key", "secret-key", "pv3d"));
        assertThrows(IllegalArgumentException.class, () -> new ObjectStoreEndpoint(
                URI.create("ftp://minio"), "key", "secret-key", "pv3d"));
        assertThrows(IllegalArgumentException.class, () -> new ObjectStoreEndpoint(
                URI.create("http://minio:9000"), " ", "secret-key", "pv3d"));
    }

    private static void assertMessage(String expected, Exception e) {
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
