package org.pv3dfarm.protocol;

/**
 * A body could not be read as the expected message: malformed JSON, a wrong type, an unknown field or kind, or a
 * body over the size limit. {@link #field()} names the JSON path where it went wrong (empty for the body as a
 * whole) and {@link #problem()} says what, in words fit for an HTTP 400 or a dead-letter reason.
 */
public class JobCodecException extends RuntimeException {

    private final String field;
    private final String problem;

    public JobCodecException(String field, String problem, Throwable cause) {
        super(field.isEmpty() ? problem : field + ": " + problem, cause);
        this.field = field;
        this.problem = problem;
    }

    /** JSON path of the offending field, e.g. {@code views[2].yaw}; empty for the body as a whole. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field. */
    public String problem() {
        return problem;
    }

    /** As a {@link Violation}, for reports that list violations. */
    public Violation toViolation() {
        return new Violation(field, problem);
    }
}
