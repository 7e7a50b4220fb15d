package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pv3dfarm.embedded.EmbeddedObjectStore;

class MinioObjectUploaderTest {

    private static final String ACCESS = "worker-test";
    private static final String SECRET = "worker-test-secret";
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40));

    @TempDir
    Path dir;

    private static EmbeddedObjectStore.Builder store() {
        return EmbeddedObjectStore.builder().accessKey(ACCESS).secretKey(SECRET).bucket("outputs");
    }

    @Test
    void bytesAndFilesAreStoredWithTheirContentTypeAndARedeliveryOverwrites() throws Exception {
        Path video = Files.write(dir.resolve("view-00.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});
        var layout = OutputKeyLayout.forJob(java.util.UUID.randomUUID());
        try (EmbeddedObjectStore store = store().start();
                MinioClient client = MinioObjectUploader.client(store.endpoint(), ACCESS, SECRET);
                MinioObjectUploader uploader = new MinioObjectUploader(client, "outputs", FAST)) {
            StoredObject stored = uploader.upload(layout.video(0), video, "video/mp4");
            assertEquals(new StoredObject("outputs", layout.video(0), 8, "video/mp4"), stored);
            uploader.upload(layout.manifest(), "{\"attempt\":1}".getBytes(), "application/json");
            uploader.upload(layout.manifest(), "{\"attempt\":2}".getBytes(), "application/json");

            assertEquals("video/mp4", client.statObject(StatObjectArgs.builder().bucket("outputs")
                    .object(layout.video(0)).build()).contentType());
            assertArrayEquals(Files.readAllBytes(video), read(client, layout.video(0)));
            assertEquals(List.of(layout.manifest(), layout.video(0)), list(client, layout.prefix()),
                    "the second manifest replaced the first");
            assertEquals("{\"attempt\":2}", new String(read(client, layout.manifest())));
        }
    }

    @Test
    void aStoreThatComesBackDuringTheRetriesGetsTheObject() throws Exception {
        Path data = dir.resolve("objects");
        int port;
        try (EmbeddedObjectStore first = store().dataDir(data).start()) {
            port = first.port();
        }
        List<Duration> pauses = new ArrayList<>();
        List<EmbeddedObjectStore> restarted = new ArrayList<>();
        RetryPolicy.Sleeper restartOnSecondPause = pause -> {
            pauses.add(pause);
            if (pauses.size() == 2) {
                restarted.add(store().dataDir(data).port(port).start());
            }
        };
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try (MinioClient client = MinioObjectUploader.client(endpoint, ACCESS, SECRET);
                var uploader = new MinioObjectUploader(client, false, "outputs", FAST, restartOnSecondPause, () -> 0.0)) {
            uploader.upload("job/manifest.json", new byte[] {1, 2, 3}, "application/json");
            assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(10)), pauses,
                    "two failed attempts, each followed by half of 10 ms * 2^(n-1) (jitter 0)");
            assertArrayEquals(new byte[] {1, 2, 3}, read(client, "job/manifest.json"));
        } finally {
            restarted.forEach(EmbeddedObjectStore::close);
        }
    }

    @Test
    void anUnreachableStoreFailsTransientlyAfterEveryAttempt() throws Exception {
        int port;
        try (EmbeddedObjectStore gone = store().start()) {
            port = gone.port();
        }
        List<Duration> pauses = new ArrayList<>();
        try (MinioClient client = MinioObjectUploader.client(URI.create("http://127.0.0.1:" + port), ACCESS, SECRET);
                var uploader = new MinioObjectUploader(client, false, "outputs", FAST, pauses::add, () -> 0.5)) {
            UploadException error = assertThrows(UploadException.class,
                    () -> uploader.upload("job/x.png", new byte[] {1}, "image/png"));
            assertTrue(error.isTransient());
            assertEquals(4, error.attempts());
            assertEquals(3, pauses.size());
            assertTrue(error.getMessage().contains("job/x.png"), error.getMessage());
        }
    }

    @Test
    void aRefusedSignatureIsNotRetried() throws Exception {
        List<Duration> pauses = new ArrayList<>();
        try (EmbeddedObjectStore store = store().start();
                MinioClient client = MinioObjectUploader.client(store.endpoint(), ACCESS, "not-the-secret");
                var uploader = new MinioObjectUploader(client, false, "outputs", FAST, pauses::add, () -> 0.5)) {
            UploadException error = assertThrows(UploadException.class,
                    () -> uploader.upload("job/x.png", new byte[] {1}, "image/png"));
            assertFalse(error.isTransient());
            assertEquals(1, error.attempts());
            assertTrue(pauses.isEmpty());
            assertTrue(error.getMessage().contains("SignatureDoesNotMatch") || error.getMessage().contains("AccessDenied"),
                    error.getMessage());
        }
    }

    private static byte[] read(MinioClient client, String key) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket("outputs").object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static List<String> list(MinioClient client, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (var item : client.listObjects(ListObjectsArgs.builder().bucket("outputs").prefix(prefix)
                .recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys.stream().sorted().toList();
    }
}
