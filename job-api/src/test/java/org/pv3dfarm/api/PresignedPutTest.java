package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signature covers key, type and size (the store's refusal of changed ones is shown in UploadsApiTest). */
class PresignedPutTest {

    private final PresignedPut presigner = new PresignedPut(URI.create("http://127.0.0.1:9000"), "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1");
    private final Instant now = Instant.parse("2026-11-26T10:00:00Z");

    private String signature(String key, String type, long size) {
        String url = presigner.url("pv3d", key, type, size, now, Duration.ofMinutes(15));
        return url.substring(url.indexOf("X-Amz-Signature=") + 16);
    }

    @Test
    void theUrlIsPathStyleAndNamesTheSignedHeaders() {
        String url = presigner.url("pv3d", "tenants/acme/inputs/x/my face.png", "image/png", 10, now,
                Duration.ofMinutes(15));
        assertTrue(url.startsWith("http://127.0.0.1:9000/pv3d/tenants/acme/inputs/x/my%20face.png?"
                + "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261126%2Fus-east-1%2Fs3%2F"
                + "aws4_request&X-Amz-Date=20261126T100000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=content-length%3B"
                + "content-type%3Bhost&X-Amz-Signature="), url);
        assertEquals(64, signature("k", "image/png", 10).length());
    }

    @Test
    void changingKeyTypeOrSizeChangesTheSignature() {
        String base = signature("tenants/acme/inputs/a/x.png", "image/png", 10);
        assertEquals(base, signature("tenants/acme/inputs/a/x.png", "image/png", 10));
        assertNotEquals(base, signature("tenants/globex/inputs/a/x.png", "image/png", 10));
        assertNotEquals(base, signature("tenants/acme/inputs/a/x.png", "text/html", 10));
        assertNotEquals(base, signature("tenants/acme/inputs/a/x.png", "image/png", 11));
    }

    @Test
    void encodingFollowsSigV4AndTheEndpointHasNoPath() {
        assertEquals("a%2Fb%20c~-_.%C3%A9", PresignedPut.encode("a/b c~-_.é", false));
        assertEquals("a/b", PresignedPut.encode("a/b", true));
        assertThrows(IllegalArgumentException.class, () -> new PresignedPut(URI.create("http://h:1/base"), "a", "b",
                "r"));
    }
}
