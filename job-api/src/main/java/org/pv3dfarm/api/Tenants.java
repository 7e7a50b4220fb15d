package org.pv3dfarm.api;

import org.pv3dfarm.protocol.JobIds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys to tenants ({@code pv3d.tenants.NAME.api-keys} in application.properties). Keys are held only as
 * SHA-256 digests, so a heap dump or log line never shows one; a lookup hashes the presented key.
 */
public final class Tenants {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MIN_KEY_LENGTH = 16;

    private final Map<String, Caller> byKeyDigest;
    private final Caller anonymous;

    /**
     * @param keys      API key -> caller
     * @param anonymous who a request without a key is, or {@code null} when such requests are refused
     */
    public Tenants(Map<String, Caller> keys, Caller anonymous) {
        Map<String, Caller> digests = new HashMap<>();
        keys.forEach((key, caller) -> {
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("API keys must have at least " + MIN_KEY_LENGTH
                        + " characters (tenant " + caller.tenant() + ")");
            }
            if (digests.put(digest(key), caller) != null) {
                throw new IllegalArgumentException("an API key is configured twice (tenant " + caller.tenant() + ")");
            }
        });
        this.byKeyDigest = Map.copyOf(digests);
        this.anonymous = anonymous;
    }

    static Tenants of(ApiConfig config) {
        Map<String, Caller> keys = new HashMap<>();
        Caller anonymous = new Caller(JobIds.DEFAULT_TENANT, TenantQuota.of(config.auth().anonymous()));
        config.tenants().forEach((name, tenant) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("pv3d.tenants: tenant name '" + name
                        + "' must be 1 to 63 characters of a-z 0-9 -");
            }
            Caller caller = new Caller(name, TenantQuota.of(tenant.quota()));
            for (String key : tenant.apiKeys()) {
                keys.put(key.trim(), caller);
            }
        });
        return new Tenants(keys, config.auth().allowAnonymous() ? anonymous : null);
    }

    /**
     * The caller for the request's {@code X-Api-Key} or {@code Authorization: Bearer} header; a 401 problem when
     * the key is unknown, or absent where anonymous access is off.
     */
    public Caller resolve(String apiKeyHeader, String authorizationHeader) {
        Optional<String> key = presentedKey(apiKeyHeader, authorizationHeader);
        if (key.isEmpty()) {
            if (anonymous == null) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "send an API key in X-Api-Key or "
                        + "Authorization: Bearer", null);
            }
            return anonymous;
        }
        Caller caller = byKeyDigest.get(digest(key.get()));
        if (caller == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "the API key is not known", null);
        }
        return caller;
    }

    private static Optional<String> presentedKey(String apiKey, String authorization) {
        if (apiKey != null && !apiKey.isBlank()) {
            return Optional.of(apiKey.trim());
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The configured tenant names with keys, for logs. */
    public List<String> names() {
        return byKeyDigest.values().stream().map(Caller::tenant).distinct().sorted().toList();
    }
}
