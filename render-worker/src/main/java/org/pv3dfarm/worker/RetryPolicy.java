package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently to retry: at most {@code maxAttempts} attempts in all, and before retry {@code n}
 * (n = 1 after the first failure) a pause of {@code b(n) = min(maxBackoff, initialBackoff * 2^(n-1))}, scaled by
 * a random factor in [0.5, 1) ("equal jitter") so that many workers that failed together do not retry together.
 *
 * @param maxAttempts    1..100; 1 means no retry
 * @param initialBackoff the first pause before jitter, 1 ms..1 h
 * @param maxBackoff     the longest pause before jitter, at least {@code initialBackoff}, at most 1 h
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Something that waits; tests substitute one that records the pauses or changes the world in between. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be 1..100, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.toMillis() < 1 || initialBackoff.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("initialBackoff must be 1 ms..1 h, was " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0 || maxBackoff.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("maxBackoff must be initialBackoff..1 h, was " + maxBackoff);
        }
    }

    /** 5 attempts, pauses from 200 ms up to 5 s: rides out a restart of the store of about 10 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** A single attempt. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1));
    }

    /**
     * The pause before retry {@code retry} (1-based), for a uniform random {@code random} in [0, 1).
     */
    public Duration backoff(int retry, double random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is 1-based, was " + retry);
        }
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be in [0, 1), was " + random);
        }
        long base = initialBackoff.toMillis();
        long capped = maxBackoff.toMillis();
        long pause = retry > 40 ? capped : Math.min(capped, base << Math.min(retry - 1, 40));
        return Duration.ofMillis(Math.max(1, Math.round(pause * (0.5 + random / 2))));
    }
}
