package org.pv3dfarm.protocol;

/**
 * Kafka record header names and values the farm writes. Header values are UTF-8 strings. The body is
 * authoritative; headers exist so that routers, metrics and dead-letter handlers can act without parsing it.
 */
public final class HeaderNames {

    /** {@link SchemaVersion#CURRENT} as a decimal string. */
    public static final String SCHEMA_VERSION = "pv3d-schema-version";
    /** The tenant that owns the job; absent for the default tenant. */
    public static final String TENANT = "pv3d-tenant";
    /** Always {@link #JSON} for now. */
    public static final String CONTENT_TYPE = "content-type";
    /** An opaque id that ties together the HTTP request, the records and the logs of one job. */
    public static final String TRACE_ID = "pv3d-trace-id";
    /** The {@link JobKind#wireName()} of the job the record is about. */
    public static final String JOB_KIND = "pv3d-job-kind";
    /** The message type: {@code request}, an event type such as {@code completed}, or {@code dead_letter}. */
    public static final String MESSAGE_TYPE = "pv3d-message-type";
    /** The {@link Priority#wireName()} of a request. */
    public static final String PRIORITY = "pv3d-priority";

    /** On a retry record: the attempt it is (2 for the first retry), as a decimal string. */
    public static final String ATTEMPT = "pv3d-attempt";
    /** On a retry record: epoch milliseconds before which it must not run. */
    public static final String NOT_BEFORE = "pv3d-not-before";
    /** On a replayed dead letter: {@code topic-partition@offset} of the dead-letter record it came from. */
    public static final String REPLAYED_FROM = "pv3d-replayed-from";

    /** The content type of every body. */
    public static final String JSON = "application/json";
    /** {@link #MESSAGE_TYPE} of a job request. */
    public static final String REQUEST_TYPE = "request";
    /** {@link #MESSAGE_TYPE} of a dead-letter record. */
    public static final String DEAD_LETTER_TYPE = "dead_letter";

    private HeaderNames() {
    }
}
