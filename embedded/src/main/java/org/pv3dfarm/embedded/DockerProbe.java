package org.pv3dfarm.embedded;

import java.util.Optional;

/** Tells whether containers can be started here, and if not, why. */
@FunctionalInterface
public interface DockerProbe {

    /** Empty when a Docker engine is reachable; otherwise a sentence that says why not. */
    Optional<String> unavailableReason();

    /**
     * Asks Testcontainers ({@code DockerClientFactory.instance().isDockerAvailable()}), which tries every way it
     * knows to reach an engine (DOCKER_HOST, the socket, ~/.testcontainers.properties). Testcontainers is an
     * optional dependency: without it on the classpath, the answer is "unavailable" and says so.
     */
    static DockerProbe testcontainers() {
        return () -> {
            try {
                Class.forName("org.testcontainers.DockerClientFactory", false, DockerProbe.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return Optional.of("Testcontainers is not on the classpath "
                        + "(add org.testcontainers:testcontainers-kafka and testcontainers-minio to use containers)");
            }
            return TestcontainersDocker.unavailableReason();
        };
    }
}
