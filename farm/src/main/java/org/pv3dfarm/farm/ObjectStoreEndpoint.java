package org.pv3dfarm.farm;

import java.net.URI;
import java.util.Objects;

/**
 * Where the farm's outputs are stored: an S3 endpoint (MinIO, S3Proxy, AWS S3), the keys that sign requests to it
 * and the bucket.
 *
 * @param endpoint  {@code http(s)://host[:port]}, without a bucket or path
 * @param accessKey the access key id
 * @param secretKey the secret key; left out of {@link #toString()}
 * @param bucket    the bucket that holds every job's outputs
 */
public record ObjectStoreEndpoint(URI endpoint, String accessKey, String secretKey, String bucket) {

    public ObjectStoreEndpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null
                || !(endpoint.getPath() == null || endpoint.getPath().isEmpty() || endpoint.getPath().equals("/"))
                || endpoint.getQuery() != null) {
            throw new IllegalArgumentException("S3 endpoint must be http(s)://host[:port] without a path, was '"
                    + endpoint + "'");
        }
        requireText("accessKey", accessKey);
        requireText("secretKey", secretKey);
        requireText("bucket", bucket);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return "ObjectStoreEndpoint[endpoint=" + endpoint + ", accessKey=" + accessKey + ", bucket=" + bucket + "]";
    }
}
