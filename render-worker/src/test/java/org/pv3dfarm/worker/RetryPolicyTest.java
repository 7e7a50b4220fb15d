package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void pausesDoubleUpToTheCapAndJitterScalesThemByHalfToOne() {
        assertEquals(Duration.ofMillis(50), policy.backoff(1, 0.0));
        assertEquals(Duration.ofMillis(100), policy.backoff(2, 0.0));
        assertEquals(Duration.ofMillis(200), policy.backoff(3, 0.0));
        assertEquals(Duration.ofMillis(500), policy.backoff(5, 0.0), "1600 ms capped at 1000, then halved");
        assertEquals(Duration.ofMillis(999), policy.backoff(60, 0.998), "1000 ms * (0.5 + 0.998 / 2)");
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)));
        var error = assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("maxBackoff must be initialBackoff..1 h, was PT1S", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> policy.backoff(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> policy.backoff(1, 1.0));
    }
}
