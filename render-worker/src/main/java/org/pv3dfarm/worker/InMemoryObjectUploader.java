package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the object store ({@link ObjectUploader} and {@link ObjectReader}) that keeps objects in memory,
 * for the tests of stages that upload or read. It honours the contracts (same key = replaced object, a missing
 * or oversized object is a {@link MissingObjectException}) and can be told to fail the next uploads.
 */
public final class InMemoryObjectUploader implements ObjectUploader, ObjectReader {

    /** A stored object's content. */
    public record Content(byte[] bytes, String contentType) {
    }

    private final String bucket;
    private final Map<String, Content> objects = new ConcurrentHashMap<>();
    private final AtomicInteger uploads = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    public InMemoryObjectUploader(String bucket) {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** The next {@code count} uploads throw a transient {@link UploadException} and store nothing. */
    public void failNext(int count) {
        failuresLeft.set(count);
    }

    /** Successful uploads so far, overwrites included. */
    public int uploadCount() {
        return uploads.get();
    }

    public Set<String> keys() {
        return new TreeSet<>(objects.keySet());
    }

    public Optional<Content> get(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public StoredObject upload(String key, Path file, String contentType) throws UploadException {
        try {
            return upload(key, Files.readAllBytes(file), contentType);
        } catch (IOException e) {
            throw new UploadException("cannot read " + file, e, false, 1);
        }
    }

    @Override
    public StoredObject upload(String key, byte[] bytes, String contentType) throws UploadException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new UploadException("simulated store outage for " + key, null, true, 1);
        }
        objects.put(key, new Content(bytes.clone(), contentType));
        uploads.incrementAndGet();
        return new StoredObject(bucket, key, bytes.length, contentType);
    }

    @Override
    public byte[] read(String key, long maxBytes) throws MissingObjectException {
        Content content = objects.get(Objects.requireNonNull(key, "key"));
        if (content == null) {
            throw new MissingObjectException(key, false, "no object " + key + " in bucket " + bucket);
        }
        if (content.bytes().length > maxBytes) {
            throw new MissingObjectException(key, true, "object " + key + " has " + content.bytes().length
                    + " bytes, more than the " + maxBytes + " allowed");
        }
        return content.bytes().clone();
    }
}
