package org.pv3dfarm.farm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What lives where under the farm's data directory. {@code kafka/} and {@code objects/} are the layout that
 * {@link org.pv3dfarm.embedded.InfrastructureOptions} uses too, so a farm started with or without an external part
 * finds the same data.
 *
 * @param root the data directory, absolute
 */
public record FarmDataLayout(Path root) {

    public FarmDataLayout {
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The embedded broker's logs and metadata: topics, job requests and events survive a restart. */
    public Path kafka() {
        return root.resolve("kafka");
    }

    /** The embedded object store: one directory per bucket, one file per object. */
    public Path objects() {
        return root.resolve("objects");
    }

    /** Logs of child processes ({@code job-api.log}). */
    public Path logs() {
        return root.resolve("logs");
    }

    public Path jobApiLog() {
        return logs().resolve("job-api.log");
    }

    /** The render worker's scratch space (frames and videos of the running job, before upload). */
    public Path work() {
        return root.resolve("work");
    }

    /** Videos the demo downloaded, one directory per job. */
    public Path demo() {
        return root.resolve("demo");
    }
}
