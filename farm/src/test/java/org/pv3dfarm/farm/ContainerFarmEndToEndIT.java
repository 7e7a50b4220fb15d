package org.pv3dfarm.farm;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pv3dfarm.embedded.InfrastructureMode;

/** The farm on Kafka and MinIO containers (Testcontainers); skipped, with the reason logged, without Docker. */
@ExtendWith(RequiresDocker.class)
class ContainerFarmEndToEndIT extends FarmEndToEndContract {

    @Override
    FarmOptions.Builder infrastructure(FarmOptions.Builder options) {
        return options.infrastructure(InfrastructureMode.CONTAINERS);
    }
}
