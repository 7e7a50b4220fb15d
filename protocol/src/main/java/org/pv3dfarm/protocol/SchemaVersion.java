package org.pv3dfarm.protocol;

/**
 * The version of the message shapes in this package. It travels twice: in the {@code schema_version} body field
 * (so a stored or dead-lettered body still says what it is) and in the {@link HeaderNames#SCHEMA_VERSION} header
 * (so a consumer can route before parsing). A change that a version-1 reader would reject (new required field,
 * changed meaning) bumps it; adding an optional field with a default does not, but needs readers deployed first,
 * because readers reject unknown fields.
 */
public final class SchemaVersion {

    /** The version this code writes and the only one it reads. */
    public static final int CURRENT = 1;

    private SchemaVersion() {
    }

    /** Whether this code can read a message of the given version. */
    public static boolean isSupported(int version) {
        return version == CURRENT;
    }
}
