package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignatureTest {

    private static final byte[] BODY = "{\"job_id\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void matchesAnIndependentlyComputedHmac() {
        // python3: hmac.new(b'whsec-test', b'1700000000.' + body, hashlib.sha256).hexdigest()
        assertEquals("t=1700000000,v1=81d88dac82ceac7db5c7637873818b4bf52a0cb918b7d43eeea9f8f5e0ae09b7",
                WebhookSignature.sign("whsec-test", 1_700_000_000L, BODY));
    }

    @Test
    void verifiesOnlyTheSignedBodyTimeAndSecret() {
        String header = WebhookSignature.sign("whsec-test", 1_700_000_000L, BODY);
        assertTrue(WebhookSignature.verify("whsec-test", header, BODY));
        assertFalse(WebhookSignature.verify("other", header, BODY));
        assertFalse(WebhookSignature.verify("whsec-test", header, "{\"job_id\":\"y\"}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(WebhookSignature.verify("whsec-test", header.replace("t=1700000000", "t=1700000001"), BODY));
        for (String bad : new String[] {null, "", "v1=00", "t=x,v1=00", "t=1,v1=zz"}) {
            assertFalse(WebhookSignature.verify("whsec-test", bad, BODY), bad);
        }
    }
}
