package org.pv3dfarm.worker;

import java.nio.file.Path;

/**
 * Puts a job's outputs into the object store, under keys from {@link OutputKeyLayout}.
 *
 * <p>Contract: an upload returns only once the store has confirmed the whole object; uploading to a key that
 * exists replaces the object (that is how a redelivered job overwrites its outputs). Transient failures are
 * retried inside the call; what is left is thrown as {@link UploadException}. Implementations are thread-safe.
 */
public interface ObjectUploader extends AutoCloseable {

    /** The bucket every key goes to. */
    String bucket();

    /** Uploads a file as it is when the call starts. */
    StoredObject upload(String key, Path file, String contentType) throws UploadException;

    /** Uploads bytes (the array must not change during the call). */
    StoredObject upload(String key, byte[] bytes, String contentType) throws UploadException;

    /** Releases connections this uploader owns; a no-op by default. */
    @Override
    default void close() {
    }
}
