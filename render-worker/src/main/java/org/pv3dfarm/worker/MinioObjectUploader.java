package org.pv3dfarm.worker;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.PutObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * {@link ObjectUploader} and {@link ObjectReader} on the MinIO Java SDK, for MinIO, S3Proxy or any S3 endpoint.
 * A read asks for the object's size first ({@code statObject}), so an oversized upload is refused before any of
 * it is downloaded; {@code NoSuchKey} is a {@link MissingObjectException}.
 *
 * <p>Retried (per {@link RetryPolicy}): the store unreachable or cut off (I/O errors), HTTP 5xx, and the S3
 * error codes that mean "try again" ({@value #TRANSIENT_CODES_DOC}). Not retried: refusals such as
 * {@code AccessDenied}, {@code SignatureDoesNotMatch} or {@code NoSuchBucket}, which only configuration fixes.
 */
public final class MinioObjectUploader implements ObjectUploader, ObjectReader {

    static final String TRANSIENT_CODES_DOC = "InternalError, ServiceUnavailable, SlowDown, RequestTimeout";
    private static final Set<String> TRANSIENT_CODES =
            Set.of("InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout");
    private static final Set<String> MISSING_CODES = Set.of("NoSuchKey", "NoSuchObject", "NotFound");
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
        Objects.requireNonNull(contentType, "contentType");
        withRetries("uploading", key, () -> client.uploadObject(UploadObjectArgs.builder()
                .bucket(bucket).object(key).filename(file.toString()).contentType(contentType).build()));
        return new StoredObject(bucket, key, size, contentType);
    }

    @Override
    public StoredObject upload(String key, byte[] bytes, String contentType) throws UploadException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
        withRetries("uploading", key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key).contentType(contentType)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build()));
        return new StoredObject(bucket, key, bytes.length, contentType);
    }

    @Override
    public byte[] read(String key, long maxBytes) throws MissingObjectException, UploadException {
        Objects.requireNonNull(key, "key");
        long size;
        try {
            size = withRetries("reading", key, () -> client.statObject(StatObjectArgs.builder().bucket(bucket)
                    .object(key).build()).size());
        } catch (UploadException e) {
            throw missingOr(key, e);
        }
        if (size > maxBytes) {
            throw new MissingObjectException(key, true, "object " + key + " has " + size + " bytes, more than the "
                    + maxBytes + " allowed");
        }
        try {
            return withRetries("reading", key, () -> {
                try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                    return in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
                }
            });
        } catch (UploadException e) {
            throw missingOr(key, e);
        }
    }

    /** A store refusal that says the key is not there becomes the request's fault; anything else stays. */
    private static MissingObjectException missingOr(String key, UploadException e) throws UploadException {
        if (e.getCause() instanceof ErrorResponseException response
                && MISSING_CODES.contains(response.errorResponse().code())) {
            return new MissingObjectException(key, false, "no object " + key + " ("
                    + response.errorResponse().code() + ")");
        }
        throw e;
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
    private interface Attempt<T> {
        T run() throws Exception;
    }

    private <T> T withRetries(String what, String key, Attempt<T> attempt) throws UploadException {
        Objects.requireNonNull(key, "key");
        for (int number = 1; ; number++) {
            try {
                return attempt.run();
            } catch (Exception e) {
                boolean transientFailure = isTransient(e);
                if (!transientFailure || number >= retryPolicy.maxAttempts()) {
                    throw new UploadException(what + " " + key + " in bucket " + bucket + " failed after " + number
                            + " attempt(s): " + describe(e), e, transientFailure, number);
                }
                Duration pause = retryPolicy.backoff(number, random.getAsDouble());
                LOG.warn("{} {} failed ({}); attempt {} of {} in {} ms", what, key, describe(e), number + 1,
                        retryPolicy.maxAttempts(), pause.toMillis());
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UploadException("interrupted while retrying " + what + " " + key, e, true, number);
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
