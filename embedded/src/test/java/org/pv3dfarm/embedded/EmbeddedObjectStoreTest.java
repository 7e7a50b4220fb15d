package org.pv3dfarm.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pv3dfarm.embedded.EmbeddedKafkaBrokerTest.assertMessageContains;

import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedObjectStoreTest {

    private static EmbeddedObjectStore.Builder store() {
        return EmbeddedObjectStore.builder().accessKey("test-access").secretKey("test-secret-key").bucket("outputs");
    }

    @Test
    void putGetListAndPresignedGetThroughTheMinioClient() throws Exception {
        byte[] video = "not really an mp4".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedObjectStore store = store().start();
                MinioClient client = S3Clients.minio(store.endpoint(), store.accessKey(), store.secretKey())) {
            ObjectStoreTestClients.put(client, "outputs", "job-1/video.mp4", video, "video/mp4");
            ObjectStoreTestClients.put(client, "outputs", "job-1/frames/0000.png", new byte[] {1, 2}, "image/png");
            ObjectStoreTestClients.put(client, "outputs", "job-2/video.mp4", new byte[] {3}, "video/mp4");

            assertArrayEquals(video, ObjectStoreTestClients.get(client, "outputs", "job-1/video.mp4"));
            assertEquals("video/mp4", client.statObject(
                    StatObjectArgs.builder().bucket("outputs").object("job-1/video.mp4").build()).contentType());
            assertEquals(List.of("job-1/frames/0000.png", "job-1/video.mp4"),
                    ObjectStoreTestClients.list(client, "outputs", "job-1/").stream().sorted().toList());

            URI presigned = ObjectStoreTestClients.presignedGet(client, "outputs", "job-1/video.mp4");
            assertTrue(presigned.getQuery().contains("X-Amz-Signature="), presigned::toString);
            var response = ObjectStoreTestClients.fetch(presigned);
            assertEquals(200, response.statusCode());
            assertArrayEquals(video, response.body());
            assertEquals("video/mp4", response.headers().firstValue("Content-Type").orElse(""));
        }
    }

    @Test
    void requestsWithoutTheRightSignatureAreRefused() throws Exception {
        try (EmbeddedObjectStore store = store().start();
                MinioClient client = S3Clients.minio(store.endpoint(), store.accessKey(), store.secretKey());
                MinioClient intruder = S3Clients.minio(store.endpoint(), store.accessKey(), "wrong-secret-key")) {
            ObjectStoreTestClients.put(client, "outputs", "job-1/video.mp4", new byte[] {1}, "video/mp4");

            URI unsigned = URI.create(store.endpoint() + "/outputs/job-1/video.mp4");
            assertEquals(403, ObjectStoreTestClients.fetch(unsigned).statusCode());
            URI forged = ObjectStoreTestClients.presignedGet(intruder, "outputs", "job-1/video.mp4");
            assertEquals(403, ObjectStoreTestClients.fetch(forged).statusCode());
            URI otherKey = URI.create(ObjectStoreTestClients.presignedGet(client, "outputs", "job-1/video.mp4")
                    .toString().replace("job-1/video.mp4", "job-1/other.mp4"));
            assertEquals(403, ObjectStoreTestClients.fetch(otherKey).statusCode(),
                    "a signature covers one object only");
            URI shortLived = ObjectStoreTestClients.presignedGet(client, "outputs", "job-1/video.mp4",
                    Duration.ofSeconds(1));
            Thread.sleep(2_100);
            assertEquals(403, ObjectStoreTestClients.fetch(shortLived).statusCode(), "an expired URL is refused");
        }
    }

    @Test
    void filesystemStoreKeepsObjectsAcrossRestarts(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("objects");
        try (EmbeddedObjectStore store = store().dataDir(dataDir).start();
                MinioClient client = S3Clients.minio(store.endpoint(), store.accessKey(), store.secretKey())) {
            ObjectStoreTestClients.put(client, "outputs", "job-1/manifest.json", "{}".getBytes(), "application/json");
        }
        assertTrue(Files.isDirectory(dataDir.resolve("outputs")), "a bucket is a directory under the data dir");
        try (EmbeddedObjectStore store = store().dataDir(dataDir).start();
                MinioClient client = S3Clients.minio(store.endpoint(), store.accessKey(), store.secretKey())) {
            assertArrayEquals("{}".getBytes(), ObjectStoreTestClients.get(client, "outputs", "job-1/manifest.json"));
            assertTrue(!S3Clients.ensureBucket(client, "outputs"), "the bucket already exists");
            assertTrue(S3Clients.ensureBucket(client, "second"));
        }
    }

    @Test
    void builderRejectsBadValuesNamingTheField() {
        var builder = EmbeddedObjectStore.builder();
        assertMessageContains("bucket", assertThrows(IllegalArgumentException.class, () -> builder.bucket("Bad_Name")));
        assertMessageContains("bucket", assertThrows(IllegalArgumentException.class, () -> builder.bucket("ab")));
        assertMessageContains("bucket", assertThrows(IllegalArgumentException.class, () -> builder.bucket("a..b")));
        assertMessageContains("secretKey", assertThrows(IllegalArgumentException.class, () -> builder.secretKey("short")));
        assertMessageContains("accessKey", assertThrows(IllegalArgumentException.class, () -> builder.accessKey("a:b")));
        assertMessageContains("port", assertThrows(IllegalArgumentException.class, () -> builder.port(-5)));
        assertMessageContains("accessKey", assertThrows(IllegalArgumentException.class,
                () -> EmbeddedObjectStore.builder().secretKey("12345678").start()));
    }
}
