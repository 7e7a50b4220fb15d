package org.pv3dfarm.api;

/** The kinds of problem the API reports, each with a stable type URI, title and status. */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", "The request body could not be read as a job request", 400),
    INVALID_REQUEST("invalid-request", "The job request breaks the farm's rules", 400),
    KIND_NOT_SERVED("kind-not-served", "This farm runs no workers for that job kind", 400),
    INVALID_JOB_ID("invalid-job-id", "The job id is not a UUID", 400),
    JOB_NOT_FOUND("job-not-found", "No job has that id", 404),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", "The idempotency key was used for a different request", 409),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Send the job request as application/json", 415),
    QUEUE_UNAVAILABLE("queue-unavailable", "The job queue did not accept the request", 503),
    STATUS_LOADING("status-loading", "Job status is still being loaded", 503),
    UNAUTHORIZED("unauthorized", "A valid API key is required", 401),
    TENANT_MISMATCH("tenant-mismatch", "The request names another tenant than the API key's", 403),
    JOB_FINISHED("job-finished", "The job has already finished", 409),
    QUOTA_EXCEEDED("quota-exceeded", "The tenant's quota does not allow this job", 429),
    SOURCE_JOB_UNUSABLE("source-job-unusable", "A job the request reads is not a finished job of this tenant", 422),
    MALFORMED_BULK("malformed-bulk", "The bulk body is not a JSON array or NDJSON of job requests", 400),
    BULK_TOO_LARGE("bulk-too-large", "The bulk request has too many jobs", 413),
    INVALID_QUERY("invalid-query", "A query parameter is not valid", 400),
    HTTP_ERROR("http-error", "The HTTP request was not accepted", 400);

    private static final String BASE = "https://pv3dfarm.org/problems/";

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return BASE + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
