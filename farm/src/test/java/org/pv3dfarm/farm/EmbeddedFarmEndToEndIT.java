package org.pv3dfarm.farm;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.InfrastructureMode;

/** The farm on the in-process KRaft broker and S3Proxy (filesystem storage in the test's data directory). */
class EmbeddedFarmEndToEndIT extends FarmEndToEndContract {

    @Override
    FarmOptions.Builder infrastructure(FarmOptions.Builder options) {
        return options.infrastructure(InfrastructureMode.EMBEDDED);
    }

    /** The embedded servers keep their data in the data directory: a new farm on it still has the job. */
    @Test
    @Order(4)
    void jobsAndOutputsSurviveARestartOfTheWholeFarm() throws Exception {
        restartFarm();
        assertRenderedJobStillCompleted();
    }
}
