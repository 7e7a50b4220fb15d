package org.pv3dfarm.worker;

/**
 * Reads objects from the farm's bucket: the uploads a job takes as input and the stored latents of earlier jobs.
 * The other half of the worker's object store ({@link ObjectUploader} writes).
 *
 * <p>Contract: {@link #read} returns the whole object, or throws {@link MissingObjectException} when there is no
 * such key, or when it is larger than {@code maxBytes} ({@link MissingObjectException#tooLarge()}): both are the
 * request's fault. Store trouble, after the implementation's own retries, is an {@link UploadException}
 * (retryable). Implementations are thread-safe.
 */
public interface ObjectReader {

    /** The bucket every key is read from. */
    String bucket();

    /** The object's bytes, at most {@code maxBytes}. */
    byte[] read(String key, long maxBytes) throws MissingObjectException, UploadException;
}
