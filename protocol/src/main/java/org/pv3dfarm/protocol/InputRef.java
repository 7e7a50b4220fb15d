package org.pv3dfarm.protocol;

import java.util.Objects;

/**
 * An uploaded object a job reads: its key in the farm's bucket (as the uploads API returned it, under the
 * submitting tenant's input prefix) and what it must hold. The job API checks that the object exists, belongs to
 * the tenant and sniffs as {@code media} before it accepts the job; the worker checks the decoded content again.
 *
 * @param field the request field that names it, for error messages (e.g. {@code input_key})
 * @param key   the object key
 * @param media what the object must be; {@code null} when either an image or a video will do
 */
public record InputRef(String field, String key, InputMedia media) {

    public InputRef {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(key, "key");
    }
}
