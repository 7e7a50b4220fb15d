package org.pv3dfarm.api;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Presigned S3 PUT URLs (AWS Signature Version 4, query-string authentication, path-style) that bind the object
 * key, the {@code Content-Type} and the {@code Content-Length}: both headers are in {@code X-Amz-SignedHeaders},
 * so the store refuses (403 SignatureDoesNotMatch) a PUT with another type or size, or to another key. The MinIO
 * client's presigner signs only {@code host}, hence this class.
 *
 * <pre>
 * canonical request = PUT \n /{bucket}/{uri-encoded key} \n {sorted, encoded X-Amz-* query} \n
 *                     content-length:{n}\ncontent-type:{type}\nhost:{host[:port]}\n \n
 *                     content-length;content-type;host \n UNSIGNED-PAYLOAD
 * string to sign    = AWS4-HMAC-SHA256 \n {amz date} \n {yyyymmdd}/{region}/s3/aws4_request \n hex(sha256(canonical))
 * signing key       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, yyyymmdd), region), "s3"), "aws4_request")
 * X-Amz-Signature   = hex(HMAC(signing key, string to sign))
 * </pre>
 */
public final class PresignedPut {

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String SIGNED_HEADERS = "content-length;content-type;host";

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final String region;

    /** @param endpoint where clients reach the store, {@code http(s)://host[:port]} (no path) */
    public PresignedPut(URI endpoint, String accessKey, String secretKey, String region) {
        if (endpoint.getHost() == null || (endpoint.getPath() != null && !endpoint.getPath().isEmpty()
                && !endpoint.getPath().equals("/"))) {
            throw new IllegalArgumentException("the presign endpoint must be http(s)://host[:port], was " + endpoint);
        }
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    /** A URL that PUTs exactly {@code contentLength} bytes of {@code contentType} to the key until the expiry. */
    public String url(String bucket, String key, String contentType, long contentLength, Instant now,
                      Duration expiry) {
        String date = AMZ_DATE.format(now);
        String day = date.substring(0, 8);
        String scope = day + "/" + region + "/s3/aws4_request";
        String host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
        String path = "/" + encode(bucket, false) + "/" + encode(key, true);
        Map<String, String> query = new TreeMap<>();
        query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        query.put("X-Amz-Credential", accessKey + "/" + scope);
        query.put("X-Amz-Date", date);
        query.put("X-Amz-Expires", Long.toString(expiry.toSeconds()));
        query.put("X-Amz-SignedHeaders", SIGNED_HEADERS);
        StringBuilder canonicalQuery = new StringBuilder();
        query.forEach((name, value) -> canonicalQuery.append(canonicalQuery.isEmpty() ? "" : "&")
                .append(encode(name, false)).append('=').append(encode(value, false)));
        String canonicalRequest = "PUT\n" + path + "\n" + canonicalQuery + "\n"
                + "content-length:" + contentLength + "\ncontent-type:" + contentType.trim() + "\nhost:" + host
                + "\n\n" + SIGNED_HEADERS + "\nUNSIGNED-PAYLOAD";
        String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + HexFormat.of().formatHex(sha256(
                canonicalRequest));
        byte[] key4 = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        byte[] signingKey = hmac(hmac(hmac(key4, region), "s3"), "aws4_request");
        String signature = HexFormat.of().formatHex(hmac(signingKey, toSign));
        return endpoint.getScheme() + "://" + host + path + "?" + canonicalQuery + "&X-Amz-Signature=" + signature;
    }

    /** SigV4 URI encoding: every byte but {@code A-Za-z0-9-._~} as %XX (and {@code /} kept in keys). */
    static String encode(String value, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
