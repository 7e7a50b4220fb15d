package org.pv3dfarm.worker;

/**
 * An object the store confirmed.
 *
 * @param bucket      its bucket
 * @param key         its key
 * @param size        bytes
 * @param contentType the content type it was stored with (served to presigned GETs)
 */
public record StoredObject(String bucket, String key, long size, String contentType) {
}
