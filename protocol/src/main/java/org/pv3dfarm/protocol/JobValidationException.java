package org.pv3dfarm.protocol;

import java.util.List;
import java.util.stream.Collectors;

/** A request broke one or more rules of {@link JobValidator}; carries every violation, never just the first. */
public class JobValidationException extends RuntimeException {

    private final transient List<Violation> violations;

    public JobValidationException(List<Violation> violations) {
        super(summary(violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a validation exception needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    /** Every violation, in the order the validator found them. */
    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        return "invalid job request: " + violations.stream().map(Violation::toString)
                .collect(Collectors.joining("; "));
    }
}
