package org.pv3dfarm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.pv3dfarm.protocol.Violation;

import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}), with an {@code errors} extension that
 * names every offending field of the request.
 *
 * @param type   a URI that identifies the kind of problem (see {@link ProblemType})
 * @param title  a short summary of the kind of problem, the same for every occurrence
 * @param status the HTTP status
 * @param detail what went wrong this time, for people
 * @param errors the offending fields, each with its JSON path ({@code views[2].yaw}) and what is wrong
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field. */
    public record FieldError(String field, String message) {

        static FieldError of(Violation violation) {
            return new FieldError(violation.field(), violation.message());
        }
    }

    static Problem of(ProblemType type, String detail, String instance, List<Violation> violations) {
        List<FieldError> errors = violations == null ? null
                : violations.stream().map(FieldError::of).toList();
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, errors);
    }
}
