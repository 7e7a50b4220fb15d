package org.pv3dfarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The same contract on Kafka and MinIO containers; skipped, with the reason logged, where Docker is absent. */
class ContainerInfrastructureTest extends FarmInfrastructureContract {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerInfrastructureTest.class);
    private static Optional<String> dockerUnavailable;
    private static FarmInfrastructure infrastructure;

    @BeforeAll
    static void start() {
        dockerUnavailable = DockerProbe.testcontainers().unavailableReason();
        dockerUnavailable.ifPresentOrElse(
                why -> LOG.warn("skipping the container infrastructure tests: {}", why),
                () -> infrastructure = FarmInfrastructure.start(InfrastructureOptions.builder()
                        .mode(InfrastructureMode.CONTAINERS).build()));
    }

    /** Per test, so that each one shows up as skipped (with the reason) rather than vanishing from the count. */
    @BeforeEach
    void requireDocker() {
        Assumptions.assumeTrue(dockerUnavailable.isEmpty(), () -> "Docker is absent: " + dockerUnavailable.orElse(""));
    }

    @AfterAll
    static void stop() {
        if (infrastructure != null) {
            infrastructure.close();
        }
    }

    @Override
    FarmInfrastructure infrastructure() {
        return infrastructure;
    }

    @Test
    void containersWereChosen() {
        assertEquals(FarmInfrastructure.Kind.CONTAINERS, infrastructure.kind());
    }
}
