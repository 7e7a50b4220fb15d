package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An attempt failed.
 *
 * @param code      a short machine-readable cause, lower snake case, e.g. {@code invalid_request},
 *                  {@code model_error}, {@code storage_error}, {@code enqueue_failed}
 * @param reason    what went wrong, for people
 * @param retryable whether another attempt may succeed (transient storage or broker trouble); a non-retryable
 *                  failure is final
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobFailed(
        Integer schemaVersion,
        @JsonProperty(required = true) UUID jobId,
        @JsonProperty(required = true) JobKind kind,
        String tenant,
        @JsonProperty(required = true) Instant time,
        Integer attempt,
        @JsonProperty(required = true) String code,
        @JsonProperty(required = true) String reason,
        @JsonProperty(required = true) Boolean retryable) implements JobEvent {

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public JobFailed {
        schemaVersion = Checks.supportedVersion(schemaVersion);
        Checks.required(jobId, "job_id");
        Checks.required(kind, "kind");
        Checks.required(time, "time");
        attempt = Checks.atLeast(Values.orDefault(attempt, 1), 1, "attempt");
        if (!CODE.matcher(Checks.required(code, "code")).matches()) {
            throw new IllegalArgumentException("code must be lower snake case, was '" + code + "'");
        }
        Checks.requiredText(reason, "reason");
        Checks.required(retryable, "retryable");
    }

    @Override
    public String type() {
        return "failed";
    }
}
