package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Retention deletes outputs and uploads past their tenant's durations, and nothing the farm does not own. */
class RetentionSweeperTest {

    @Test
    void keysAreClassifiedByShape() {
        UUID id = UUID.randomUUID();
        assertEquals(Optional.of(new RetentionSweeper.Owned("default", false)),
                RetentionSweeper.classify(id + "/manifest.json"));
        assertEquals(Optional.of(new RetentionSweeper.Owned("acme", false)),
                RetentionSweeper.classify("tenants/acme/" + id + "/video/view-00.mp4"));
        assertEquals(Optional.of(new RetentionSweeper.Owned("default", true)),
                RetentionSweeper.classify("inputs/" + id + "/face.png"));
        assertEquals(Optional.of(new RetentionSweeper.Owned("acme", true)),
                RetentionSweeper.classify("tenants/acme/inputs/" + id + "/.upload.json"));
        for (String other : List.of("models/pv3d-tiny/model.onnx", "tenants/acme", "tenants/acme/readme.txt",
                "not-a-uuid/x", id.toString())) {
            assertEquals(Optional.empty(), RetentionSweeper.classify(other), other);
        }
    }

    @Test
    void objectsPastTheirTenantsRetentionAreDeleted() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        MemoryObjectStore store = new MemoryObjectStore(clock);
        RetentionPolicy.Durations defaults = new RetentionPolicy.Durations(Duration.ofDays(7), Duration.ofDays(3),
                Duration.ofDays(30));
        RetentionPolicy policy = new RetentionPolicy(defaults, Map.of("brief", new RetentionPolicy.Durations(
                Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofDays(1))));
        UUID job = UUID.randomUUID();
        byte[] x = {1};
        store.putBytes(job + "/manifest.json", x, null);
        store.putBytes("tenants/brief/" + job + "/manifest.json", x, null);
        store.putBytes("tenants/brief/inputs/" + job + "/face.png", x, null);
        store.putBytes("inputs/" + job + "/face.png", x, null);
        store.putBytes("models/tiny.onnx", x, null);
        RetentionSweeper sweeper = new RetentionSweeper(store, policy);

        assertEquals(new RetentionSweeper.Sweep(5, 0, 0), sweeper.sweep(clock.instant()));
        clock.advance(Duration.ofMinutes(11));
        assertEquals(new RetentionSweeper.Sweep(5, 0, 1), sweeper.sweep(clock.instant()));
        clock.advance(Duration.ofHours(1));
        assertEquals(new RetentionSweeper.Sweep(4, 1, 0), sweeper.sweep(clock.instant()));
        clock.advance(Duration.ofDays(3));
        assertEquals(new RetentionSweeper.Sweep(3, 0, 1), sweeper.sweep(clock.instant()));
        clock.advance(Duration.ofDays(4));
        assertEquals(new RetentionSweeper.Sweep(2, 1, 0), sweeper.sweep(clock.instant()));
        assertEquals(List.of("models/tiny.onnx"), store.keys());
    }
}
