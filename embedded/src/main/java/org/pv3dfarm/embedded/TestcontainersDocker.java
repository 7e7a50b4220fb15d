package org.pv3dfarm.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** The only place, with {@link ContainerInfrastructure}, that touches Testcontainers; loaded only when present. */
final class TestcontainersDocker {

    private static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    private TestcontainersDocker() {
    }

    static Optional<String> unavailableReason() {
        // Testcontainers reports each failed way to reach Docker as a multi-line ERROR, on every run of a machine
        // without Docker; the selector logs one line with the outcome and these facts instead.
        QuietLogs.off(List.of("org.testcontainers.dockerclient"));
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
            String dockerHost = System.getenv("DOCKER_HOST");
            return Optional.of("no Docker engine is reachable (DOCKER_HOST "
                    + (dockerHost == null ? "unset" : "= " + dockerHost) + ", " + DEFAULT_SOCKET
                    + (Files.exists(Path.of(DEFAULT_SOCKET)) ? " present but not answering" : " missing") + ")");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("Testcontainers could not check for Docker: " + e);
        }
    }
}
