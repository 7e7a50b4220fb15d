package org.pv3dfarm.worker;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectUploader} on the MinIO Java SDK, for MinIO, S3Proxy or any S3 endpoint.
 *
 * <p>Retried (per {@link RetryPolicy}): the store unreachable or cut off (I/O errors), HTTP 5xx, and the S3
 * error codes that mean "try again" ({@value #TRANSIENT_CODES_DOC}). Not retried: refusals such as
 * {@code AccessDenied}, {@code SignatureDoesNotMatch} or {@code NoSuchBucket}, which only configuration fixes.
 */
public final class MinioObjectUploader implements ObjectUploader {

    static final String TRANSIENT_CODES_DOC = "InternalError, ServiceUnavailable, SlowDown, RequestTimeout";
    private static final Set<String> TRANSIENT_CODES =
            Set.of("InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout");
    private static final Logger LOG = LoggerFactory.getLogger(MinioObjectUploader.class);

    private final MinioClient client;
    private final boolean ownsClient;
    private final String bucket;
    private final RetryPolicy retryPolicy;
    private final RetryPolicy.Sleeper sleeper;
    private final DoubleSupplier random;

    /** Uses a client the caller owns (and closes). */
    public MinioObjectUploader(MinioClient client, String bucket, RetryPolicy retryPolicy) {
        this(client, false, bucket, retryPolicy, RetryPolicy.Sleeper.THREAD, () -> ThreadLocalRandom.current().nextDouble());
    }

    MinioObjectUploader(MinioClient client, boolean ownsClient, String bucket, RetryPolicy retryPolicy,
            RetryPolicy.Sleeper sleeper, DoubleSupplier random) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Connects to an endpoint with its own client, closed by {@link #close()}. */
    public static MinioObjectUploader connect(URI endpoint, String accessKey, String secretKey, String bucket,
            RetryPolicy retryPolicy) {
        return new MinioObjectUploader(client(endpoint, accessKey, secretKey), true, bucket, retryPolicy,
                RetryPolicy.Sleeper.THREAD, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** A client for the farm's signing region (set so the SDK never asks the store for a bucket's location). */
    static MinioClient client(URI endpoint, String accessKey, String secretKey) {
        return MinioClient.builder().endpoint(endpoint.toString()).region("us-east-1")
                .credentials(accessKey, secretKey).build();
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public StoredObject upload(String key, Path file, String contentType) throws UploadException {
        Objects.requireNonNull(file, "file");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UploadException("cannot read " + file + " to upload it as " + key, e, false, 0);
        }
        return withRetries(key, contentType, size, () -> client.uploadObject(UploadObjectArgs.builder()
                .bucket(bucket).object(key).filename(file.toString()).contentType(contentType).build()));
    }

    @Override
    public StoredObject upload(String key, byte[] bytes, String contentType) throws UploadException {
        Objects.requireNonNull(bytes, "bytes");
        return withRetries(key, contentType, bytes.length, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key).contentType(contentType)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build()));
    }

    @Override
    public void close() {
        if (ownsClient) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.warn("closing the MinIO client failed: {}", e.toString());
            }
        }
    }

    @FunctionalInterface
    private interface Attempt {
        void run() throws Exception;
    }

    private StoredObject withRetries(String key, String contentType, long size, Attempt attempt)
            throws UploadException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        for (int number = 1; ; number++) {
            try {
                attempt.run();
                return new StoredObject(bucket, key, size, contentType);
            } catch (Exception e) {
                boolean transientFailure = isTransient(e);
                if (!transientFailure || number >= retryPolicy.maxAttempts()) {
                    throw new UploadException("uploading " + key + " to bucket " + bucket + " failed after " + number
                            + " attempt(s): " + describe(e), e, transientFailure, number);
                }
                Duration pause = retryPolicy.backoff(number, random.getAsDouble());
                LOG.warn("uploading {} failed ({}); attempt {} of {} in {} ms", key, describe(e), number + 1,
                        retryPolicy.maxAttempts(), pause.toMillis());
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UploadException("interrupted while retrying the upload of " + key, e, true, number);
                }
            }
        }
    }

    /** Whether another attempt of the same request may succeed. */
    static boolean isTransient(Exception e) {
        if (e instanceof ErrorResponseException response) {
            return TRANSIENT_CODES.contains(response.errorResponse().code());
        }
        return e instanceof IOException // connection refused or reset, timeouts
                || e instanceof ServerException // HTTP 5xx without an S3 error body
                || e instanceof InvalidResponseException // e.g. an HTML error page from a proxy
                || e instanceof InsufficientDataException; // the stream ended early
    }

    private static String describe(Exception e) {
        if (e instanceof ErrorResponseException response) {
            return response.errorResponse().code() + ": " + response.errorResponse().message();
        }
        return e.toString();
    }
}
