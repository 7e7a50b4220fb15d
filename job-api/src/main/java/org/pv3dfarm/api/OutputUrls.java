package org.pv3dfarm.api;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.http.Method;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * Presigned GET URLs for job outputs. Signing is local (the region is configured, so the client never asks the
 * store), so status reads cost no round trip to the store.
 */
@ApplicationScoped
public class OutputUrls {

    private static final Duration MAX_EXPIRY = Duration.ofDays(7);

    private final MinioClient client;
    private final Duration expiry;

    @Inject
    public OutputUrls(ApiConfig config) {
        ApiConfig.S3 s3 = config.s3();
        this.expiry = s3.presignExpiry();
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("pv3d.s3.presign-expiry must be in (0, 7d], was " + expiry);
        }
        this.client = MinioClient.builder()
                .endpoint(s3.presignEndpoint().orElse(s3.endpoint()).toString())
                .credentials(s3.accessKey(), s3.secretKey())
                .region(s3.region())
                .build();
    }

    /** How long the URLs from {@link #presignGet} stay valid. */
    public Duration expiry() {
        return expiry;
    }

    /** A URL that GETs the object without credentials until {@link #expiry()} passes. */
    public String presignGet(String bucket, String key) {
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Method.GET)
                    .bucket(bucket)
                    .object(key)
                    .expiry((int) expiry.toSeconds())
                    .build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot presign " + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        try {
            client.close();
        } catch (Exception e) {
            // Closing only releases the HTTP client's threads; nothing to do about a failure.
        }
    }
}
