package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupHeartbeatTest {

    @Test
    void kafkasDefaultsAreLeftAlone() {
        assertEquals(Map.of(), GroupHeartbeat.fitted(Map.of()));
        assertEquals(Map.of("max.poll.interval.ms", "12000"), GroupHeartbeat.fitted(Map.of("max.poll.interval.ms", "12000")));
    }

    @Test
    void aShortRebalanceTimeoutGetsAHeartbeatAQuarterOfIt() {
        assertEquals("500", GroupHeartbeat.fitted(Map.of("max.poll.interval.ms", "2000")).get("heartbeat.interval.ms"));
        assertEquals("2750", GroupHeartbeat.fitted(Map.of("max.poll.interval.ms", "11000")).get("heartbeat.interval.ms"));
    }

    @Test
    void anExplicitHeartbeatMustFitThreeTimesIntoTheRebalanceTimeout() {
        Map<String, String> fits = Map.of("max.poll.interval.ms", "3000", "heartbeat.interval.ms", "1000");
        assertEquals(fits, GroupHeartbeat.fitted(fits));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupHeartbeat.fitted(
                Map.of("max.poll.interval.ms", "2000", "heartbeat.interval.ms", "3000")));
        assertTrue(e.getMessage().contains("heartbeat.interval.ms (3000)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupHeartbeat.fitted(Map.of("max.poll.interval.ms", "soon")));
    }

    @Test
    void theConsumerProtocolTakesItsHeartbeatFromTheBroker() {
        assertNull(GroupHeartbeat.fitted(Map.of("group.protocol", "consumer", "max.poll.interval.ms", "2000"))
                .get("heartbeat.interval.ms"));
    }

    @Test
    void workerOptionsApplyIt() {
        WorkerOptions options = WorkerOptions.builder().bootstrapServers("127.0.0.1:9092")
                .consumerProperty("max.poll.interval.ms", "1000").build();
        assertEquals("250", options.consumerProperties().getProperty("heartbeat.interval.ms"));
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.builder().bootstrapServers("127.0.0.1:9092")
                .consumerProperty("max.poll.interval.ms", "1000").consumerProperty("heartbeat.interval.ms", "900")
                .build());
    }
}
