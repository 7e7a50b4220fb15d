package org.pv3dfarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pv3dfarm.embedded.EmbeddedKafkaBrokerTest.assertMessageContains;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.FarmInfrastructure.Kind;
import org.slf4j.LoggerFactory;

class InfrastructureSelectorTest {

    private static final DockerProbe NO_DOCKER = () -> Optional.of("no Docker engine is reachable (test)");
    private static final DockerProbe DOCKER = Optional::empty;
    private static final DockerProbe MUST_NOT_BE_ASKED = () -> {
        throw new AssertionError("the probe must not be asked when the mode decides alone");
    };

    @Test
    void autoChoosesEmbeddedWithTheProbesReasonWhenDockerIsAbsent() {
        var selection = new InfrastructureSelector(NO_DOCKER).select(InfrastructureMode.AUTO);
        assertEquals(Kind.EMBEDDED, selection.kind());
        assertTrue(selection.reason().contains("no Docker engine is reachable (test)"), selection.reason());
    }

    @Test
    void autoChoosesContainersWhenDockerAnswers() {
        assertEquals(Kind.CONTAINERS, new InfrastructureSelector(DOCKER).select(InfrastructureMode.AUTO).kind());
    }

    @Test
    void explicitEmbeddedModeNeverAsksDocker() {
        var selection = new InfrastructureSelector(MUST_NOT_BE_ASKED).select(InfrastructureMode.EMBEDDED);
        assertEquals(Kind.EMBEDDED, selection.kind());
        assertEquals("mode is embedded", selection.reason());
    }

    @Test
    void explicitContainersModeFailsWithTheReasonWhenDockerIsAbsent() {
        var error = assertThrows(IllegalStateException.class,
                () -> new InfrastructureSelector(NO_DOCKER).select(InfrastructureMode.CONTAINERS));
        assertMessageContains("no Docker engine is reachable (test)", error);
    }

    /** On this machine's real Docker check: the choice follows what Testcontainers finds. */
    @Test
    void realProbeDecidesByWhatTestcontainersFinds() {
        Optional<String> unavailable = DockerProbe.testcontainers().unavailableReason();
        var selection = InfrastructureSelector.usingTestcontainers().select(InfrastructureMode.AUTO);
        assertEquals(unavailable.isPresent() ? Kind.EMBEDDED : Kind.CONTAINERS, selection.kind());
        unavailable.ifPresent(why -> assertTrue(selection.reason().contains(why), selection.reason()));
    }

    @Test
    void startingLogsTheChoiceAndItsReasonAndTheInfrastructureWorks() {
        Logger logger = (Logger) LoggerFactory.getLogger(InfrastructureSelector.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (FarmInfrastructure infrastructure = new InfrastructureSelector(NO_DOCKER)
                .start(InfrastructureOptions.builder().build())) {
            assertEquals(Kind.EMBEDDED, infrastructure.kind());
            assertTrue(infrastructure.selectionReason().contains("no Docker engine is reachable (test)"));
            assertTrue(appender.list.stream().anyMatch(event -> event.getFormattedMessage()
                    .equals("farm infrastructure: embedded (" + infrastructure.selectionReason() + ")")),
                    () -> "logged: " + appender.list);
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void modeParsingIgnoresCaseAndListsTheValidValues() {
        assertEquals(InfrastructureMode.CONTAINERS, InfrastructureMode.parse(" Containers "));
        assertMessageContains("auto, embedded, containers",
                assertThrows(IllegalArgumentException.class, () -> InfrastructureMode.parse("docker")));
    }
}
