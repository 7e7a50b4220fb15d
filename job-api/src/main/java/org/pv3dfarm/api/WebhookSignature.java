package org.pv3dfarm.api;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The {@code X-Pv3d-Signature} header of webhook deliveries: {@code t=UNIX_SECONDS,v1=HEX}, where HEX is
 * HMAC-SHA256 with the tenant's webhook secret over {@code UNIX_SECONDS + "." + body}. The timestamp is signed so
 * that a receiver can refuse old deliveries (replays); it should compare with {@link #verify}, which is
 * constant-time.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Pv3d-Signature";

    private WebhookSignature() {
    }

    public static String sign(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
    }

    /** Whether {@code header} is a valid signature of {@code body} under {@code secret} (any timestamp). */
    public static boolean verify(String secret, String header, byte[] body) {
        if (header == null || !header.startsWith("t=") || !header.contains(",v1=")) {
            return false;
        }
        try {
            long t = Long.parseLong(header.substring(2, header.indexOf(',')));
            byte[] given = HexFormat.of().parseHex(header.substring(header.indexOf(",v1=") + 4));
            return MessageDigest.isEqual(mac(secret, t, body), given);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] mac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
