package org.pv3dfarm.api;

import org.pv3dfarm.protocol.Violation;

import java.util.List;

/** Ends a request with a problem response; {@link ProblemResponses} turns it into {@code problem+json}. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final transient List<Violation> violations;

    public ProblemException(ProblemType type, String detail, List<Violation> violations) {
        super(detail);
        this.type = type;
        this.violations = violations == null ? null : List.copyOf(violations);
    }

    public ProblemType type() {
        return type;
    }

    /** The offending fields, or {@code null} when the problem is not about fields. */
    public List<Violation> violations() {
        return violations;
    }
}
