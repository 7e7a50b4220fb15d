package org.pv3dfarm.embedded;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which infrastructure a farm asks for. */
public enum InfrastructureMode {
    /** Containers where a Docker engine answers, the embedded servers otherwise. */
    AUTO,
    /** Always the in-process broker and object store. */
    EMBEDDED,
    /** Always containers; starting fails with the reason when Docker is not reachable. */
    CONTAINERS;

    /** Parses {@code auto}, {@code embedded} or {@code containers}, ignoring case; the error lists the valid values. */
    public static InfrastructureMode parse(String value) {
        if (value != null) {
            for (InfrastructureMode mode : values()) {
                if (mode.name().equalsIgnoreCase(value.trim())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("infrastructure mode must be one of "
                + Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ", was '" + value + "'");
    }
}
