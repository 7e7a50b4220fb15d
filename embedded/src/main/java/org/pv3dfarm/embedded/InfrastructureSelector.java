package org.pv3dfarm.embedded;

import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which kind of infrastructure a farm gets and starts it.
 *
 * <p>Rule: {@code EMBEDDED} always gets the embedded servers; {@code CONTAINERS} gets containers or fails with the
 * reason Docker is unusable; {@code AUTO} gets containers where the {@link DockerProbe} finds a Docker engine and the
 * embedded servers otherwise. The choice and its reason are logged at INFO and kept in
 * {@link FarmInfrastructure#selectionReason()}.
 */
public final class InfrastructureSelector {

    private static final Logger LOG = LoggerFactory.getLogger(InfrastructureSelector.class);

    /** A decision: which kind, and the sentence that explains it. */
    public record Selection(FarmInfrastructure.Kind kind, String reason) {
        public Selection {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final DockerProbe dockerProbe;

    public InfrastructureSelector(DockerProbe dockerProbe) {
        this.dockerProbe = Objects.requireNonNull(dockerProbe, "dockerProbe");
    }

    /** The selector the farm uses: Testcontainers' own Docker check. */
    public static InfrastructureSelector usingTestcontainers() {
        return new InfrastructureSelector(DockerProbe.testcontainers());
    }

    /** Decides without starting anything (the probe may contact Docker). */
    public Selection select(InfrastructureMode mode) {
        Objects.requireNonNull(mode, "mode");
        return switch (mode) {
            case EMBEDDED -> new Selection(FarmInfrastructure.Kind.EMBEDDED, "mode is embedded");
            case CONTAINERS -> {
                Optional<String> unavailable = dockerProbe.unavailableReason();
                if (unavailable.isPresent()) {
                    throw new IllegalStateException("mode is containers, but " + unavailable.get());
                }
                yield new Selection(FarmInfrastructure.Kind.CONTAINERS, "mode is containers");
            }
            case AUTO -> dockerProbe.unavailableReason()
                    .map(why -> new Selection(FarmInfrastructure.Kind.EMBEDDED, why + "; using the embedded servers"))
                    .orElseGet(() -> new Selection(FarmInfrastructure.Kind.CONTAINERS,
                            "a Docker engine is reachable; using Kafka and MinIO containers"));
        };
    }

    /** Selects, logs the choice with its reason, and starts that kind. */
    public FarmInfrastructure start(InfrastructureOptions options) {
        Objects.requireNonNull(options, "options");
        Selection selection = select(options.mode());
        LOG.info("farm infrastructure: {} ({})", selection.kind().name().toLowerCase(java.util.Locale.ROOT),
                selection.reason());
        return switch (selection.kind()) {
            case EMBEDDED -> EmbeddedInfrastructure.start(options, selection.reason());
            case CONTAINERS -> ContainerInfrastructure.start(options, selection.reason());
        };
    }
}
