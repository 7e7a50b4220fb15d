package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.InputMedia;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upload creation rules and how an upload's state follows its object (store: the in-memory double). */
class UploadsTest {

    static final Caller ACME = new Caller("acme", new TenantQuota(10, 10));
    static final Caller GLOBEX = new Caller("globex", new TenantQuota(10, 10));

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    final MemoryObjectStore store = new MemoryObjectStore(clock);
    final Uploads uploads = uploads(store, clock);

    static Uploads uploads(ObjectStore store, MutableClock clock) {
        UploadLimits limits = new UploadLimits(Map.of("image/png", InputMedia.IMAGE, "image/jpeg", InputMedia.IMAGE,
                "video/mp4", InputMedia.VIDEO), 1000, 5000, Duration.ofMinutes(15));
        RetentionPolicy.Durations days = new RetentionPolicy.Durations(Duration.ofDays(7), Duration.ofDays(1),
                Duration.ofDays(30));
        return new Uploads(store, "pv3d", limits, new PresignedPut(URI.create("http://127.0.0.1:9000"), "ak", "sk",
                "us-east-1"), new RetentionPolicy(days, Map.of()), clock);
    }

    static byte[] png(int size) {
        byte[] bytes = Arrays.copyOf(ContentSnifferTest.PNG, size);
        return bytes;
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewUploadIsPendingUnderTheTenantsPrefixWithABoundPutUrl() {
        Uploads.Ticket ticket = uploads.create(ACME, json("{\"content_type\":\"image/PNG\",\"size\":100,"
                + "\"name\":\"face.png\"}"));
        UploadRecord upload = ticket.upload();
        assertEquals("tenants/acme/inputs/" + upload.uploadId() + "/face.png", upload.key());
        assertEquals(UploadRecord.State.PENDING, upload.state());
        assertEquals("image/png", upload.contentType());
        assertTrue(ticket.uploadUrl().contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"),
                ticket.uploadUrl());
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), ticket.uploadUrlExpiresAt());
        assertEquals(UploadRecord.State.PENDING, uploads.inspect(ACME, upload.uploadId()).state());
        UploadRecord anonymous = uploads.create(new Caller("default", ACME.quota()),
                json("{\"content_type\":\"video/mp4\",\"size\":100}")).upload();
        assertEquals("inputs/" + anonymous.uploadId() + "/input.mp4", anonymous.key());
    }

    @Test
    void creationRefusesWhatCannotBeCheckedOrIsTooLarge() {
        String[][] cases = {
                {"{\"content_type\":\"image/gif\",\"size\":10}", "content_type"},
                {"{\"content_type\":\"image/png\"}", "size"},
                {"{\"content_type\":\"image/png\",\"size\":0}", "size"},
                {"{\"content_type\":\"image/png\",\"size\":-5}", "size"},
                {"{\"content_type\":\"image/png\",\"size\":1.5}", "size"},
                {"{\"content_type\":\"image/png\",\"size\":\"10\"}", "size"},
                {"{\"content_type\":\"image/png\",\"size\":10,\"name\":\"../../x.png\"}", "name"},
                {"{\"content_type\":\"image/png\",\"size\":10,\"key\":\"tenants/globex/x\"}", "key"},
                {"[1]", "body"}, {"{", "body"}, {"", "body"}};
        for (String[] c : cases) {
            ProblemException e = assertThrows(ProblemException.class, () -> uploads.create(ACME, json(c[0])), c[0]);
            assertEquals(ProblemType.INVALID_UPLOAD, e.type(), c[0]);
            assertEquals(c[1], e.violations().get(0).field(), c[0]);
        }
        ProblemException big = assertThrows(ProblemException.class, () -> uploads.create(ACME,
                json("{\"content_type\":\"image/png\",\"size\":1001}")));
        assertEquals(ProblemType.UPLOAD_TOO_LARGE, big.type());
        uploads.create(ACME, json("{\"content_type\":\"video/mp4\",\"size\":5000}")); // videos may be larger
    }

    @Test
    void contentOfTheDeclaredTypeAndSizeIsReadyAnythingElseIsRejectedAndDeleted() {
        UploadRecord good = uploads.create(ACME, json("{\"content_type\":\"image/png\",\"size\":64}")).upload();
        store.putBytes(good.key(), png(64), "image/png");
        UploadRecord ready = uploads.inspect(ACME, good.uploadId());
        assertEquals(UploadRecord.State.READY, ready.state());
        assertEquals("image/png", ready.detectedType());

        UploadRecord html = uploads.create(ACME, json("{\"content_type\":\"image/png\",\"size\":13}")).upload();
        store.putBytes(html.key(), json("<html></html>"), "image/png");
        UploadRecord rejected = uploads.inspect(ACME, html.uploadId());
        assertEquals(UploadRecord.State.REJECTED, rejected.state());
        assertTrue(rejected.reason().contains("not a recognised image or video"), rejected.reason());
        assertFalse(store.head(html.key()).isPresent());
        assertEquals(UploadRecord.State.REJECTED, uploads.inspect(ACME, html.uploadId()).state());

        UploadRecord jpegAsPng = uploads.create(ACME, json("{\"content_type\":\"image/png\",\"size\":11}")).upload();
        store.putBytes(jpegAsPng.key(), ContentSnifferTest.JPEG, "image/png");
        assertTrue(uploads.inspect(ACME, jpegAsPng.uploadId()).reason().contains("is image/jpeg"));

        UploadRecord shorter = uploads.create(ACME, json("{\"content_type\":\"image/png\",\"size\":64}")).upload();
        store.putBytes(shorter.key(), png(32), "image/png");
        assertTrue(uploads.inspect(ACME, shorter.uploadId()).reason().contains("32 bytes"));

        // A ready object replaced by other bytes is checked again.
        store.putBytes(good.key(), Arrays.copyOf(ContentSnifferTest.JPEG, 64), "image/png");
        assertEquals(UploadRecord.State.REJECTED, uploads.inspect(ACME, good.uploadId()).state());
    }

    @Test
    void streamingChecksTheHeadersAgainstTheDeclaration() {
        UploadRecord upload = uploads.create(ACME, json("{\"content_type\":\"image/png\",\"size\":64}")).upload();
        assertEquals("Content-Type", assertThrows(ProblemException.class, () -> uploads.write(ACME,
                upload.uploadId(), new ByteArrayInputStream(png(64)), "image/jpeg", 64L)).violations().get(0).field());
        assertEquals(ProblemType.UPLOAD_TOO_LARGE, assertThrows(ProblemException.class, () -> uploads.write(ACME,
                upload.uploadId(), new ByteArrayInputStream(png(65)), "image/png", 65L)).type());
        assertEquals(ProblemType.INVALID_UPLOAD, assertThrows(ProblemException.class, () -> uploads.write(ACME,
                upload.uploadId(), new ByteArrayInputStream(png(64)), "image/png", null)).type());
        assertEquals(ProblemType.UPLOAD_NOT_FOUND, assertThrows(ProblemException.class, () -> uploads.write(GLOBEX,
                upload.uploadId(), new ByteArrayInputStream(png(64)), "image/png", 64L)).type());
        assertEquals(UploadRecord.State.READY, uploads.write(ACME, upload.uploadId(),
                new ByteArrayInputStream(png(64)), "image/png; charset=binary", 64L).state());
        assertEquals(ProblemType.UPLOAD_FINISHED, assertThrows(ProblemException.class, () -> uploads.write(ACME,
                upload.uploadId(), new ByteArrayInputStream(png(64)), "image/png", 64L)).type());
    }

    @Test
    void anotherTenantsUploadIsNotFoundAndAnOldEmptyOneExpires() {
        UploadRecord upload = uploads.create(ACME, json("{\"content_type\":\"image/png\",\"size\":64}")).upload();
        assertEquals(ProblemType.UPLOAD_NOT_FOUND, assertThrows(ProblemException.class,
                () -> uploads.inspect(GLOBEX, upload.uploadId())).type());
        clock.advance(Duration.ofDays(2));
        assertEquals(UploadRecord.State.EXPIRED, uploads.inspect(ACME, upload.uploadId()).state());
    }
}
