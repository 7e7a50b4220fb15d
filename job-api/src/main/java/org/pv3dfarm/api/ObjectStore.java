package org.pv3dfarm.api;

import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** The few object-store calls the API makes on the farm's bucket (uploads, retention). */
public interface ObjectStore {

    /** An object's metadata. */
    record ObjectInfo(String key, long size, String contentType, String etag, Instant lastModified) {
    }

    /** The object's metadata, or empty when there is no such object. */
    Optional<ObjectInfo> head(String key);

    /** Up to {@code length} leading bytes of the object (a range GET), or empty when there is no such object. */
    Optional<byte[]> firstBytes(String key, int length);

    /** Writes {@code size} bytes of {@code content}. */
    void put(String key, InputStream content, long size, String contentType);

    /** Deletes the object; nothing happens when there is none. */
    void delete(String key);

    /** Every object under {@code prefix} (the empty prefix: the whole bucket), in key order. */
    void list(String prefix, Consumer<ObjectInfo> each);
}
