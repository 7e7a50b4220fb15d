package org.pv3dfarm.protocol;

import java.util.Objects;

/**
 * One thing wrong with a message.
 *
 * @param field   the JSON path of the offending field, e.g. {@code views[2].yaw}; empty for the whole body
 * @param message what is wrong, for people
 */
public record Violation(String field, String message) {

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
