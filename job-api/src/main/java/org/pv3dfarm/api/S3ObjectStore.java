package org.pv3dfarm.api;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** {@link ObjectStore} on one bucket of an S3 store (MinIO, S3Proxy, AWS) through the MinIO client. */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchObject", "NotFound");

    private final MinioClient client;
    private final String bucket;

    public S3ObjectStore(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        try {
            StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new ObjectInfo(key, stat.size(), stat.contentType(), stat.etag(),
                    stat.lastModified().toInstant()));
        } catch (Exception e) {
            return absentOrThrow(e, "HEAD", key);
        }
    }

    @Override
    public Optional<byte[]> firstBytes(String key, int length) {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                .offset(0L).length((long) length).build())) {
            return Optional.of(in.readNBytes(length));
        } catch (Exception e) {
            return absentOrThrow(e, "GET", key);
        }
    }

    @Override
    public void put(String key, InputStream content, long size, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(content, size, -1)
                    .contentType(contentType).build());
        } catch (Exception e) {
            throw new ObjectStoreException("PUT " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            absentOrThrow(e, "DELETE", key);
        }
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> each) {
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = result.get();
                each.accept(new ObjectInfo(item.objectName(), item.size(), null, item.etag(),
                        item.lastModified().toInstant()));
            }
        } catch (Exception e) {
            throw new ObjectStoreException("LIST " + prefix + " failed: " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> absentOrThrow(Exception e, String call, String key) {
        if (e instanceof ErrorResponseException error && MISSING.contains(error.errorResponse().code())) {
            return Optional.empty();
        }
        throw new ObjectStoreException(call + " " + key + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() throws Exception {
        client.close();
    }

    /** The store could not be reached or refused a call; answered 503. */
    public static final class ObjectStoreException extends RuntimeException {
        public ObjectStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
