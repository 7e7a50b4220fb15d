package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;

/**
 * The share-group path of {@link ConsumptionBenchmark} on the embedded 4.1.2 broker: {@code share.version=1} can be
 * finalized and a share group of two workers runs every job exactly once. Tiny sizes; the figures are not checked.
 */
class ConsumptionBenchmarkTest {

    @Test
    void aShareGroupOnTheEmbeddedBrokerRunsEveryJobOnce() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
             Admin admin = Admin.create(broker.clientConfig())) {
            assertNull(ConsumptionBenchmark.enableShareGroups(admin));
            ConsumptionBenchmark bench = new ConsumptionBenchmark(
                    new ConsumptionBenchmark.Settings(2, 1, 6, 10, 0, 0), broker, admin);
            bench.run(ConsumptionBenchmark.Mode.SHARE, 0);
            Map<String, Double> figures = bench.figures();
            assertTrue(figures.containsKey("consumption_share_uniform_jobs_per_min"), figures.toString());
            assertEquals(0.0, figures.get("consumption_share_uniform_duplicates"));
            assertEquals(0.0, figures.get("consumption_share_uniform_lost"));
        }
    }
}
