package org.pv3dfarm.protocol;

/** Argument checks for the strict constructors of events and options; messages name the JSON field. */
final class Checks {

    private Checks() {
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String requiredText(String value, String field) {
        if (required(value, field).isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static int atLeast(Integer value, int min, String field) {
        if (required(value, field) < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    static long atLeast(Long value, long min, String field) {
        if (required(value, field) < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    static int supportedVersion(Integer version) {
        int v = version == null ? SchemaVersion.CURRENT : version;
        if (!SchemaVersion.isSupported(v)) {
            throw new IllegalArgumentException("schema_version " + v + " is not supported; this reader supports "
                    + SchemaVersion.CURRENT);
        }
        return v;
    }
}
