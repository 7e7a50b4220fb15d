package org.pv3dfarm.worker;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Holds a worker's consumer loops back from their first job until all of them have joined the group, or until
 * {@code bound} has passed since the first one joined.
 *
 * <p>Why: the loops of one worker join the group one after another, and each join rebalances it. A job taken by
 * the first loop before its siblings joined can have its partition moved to a sibling by their join; the sibling
 * reads from the last commit and runs the job again (the first loop then settles nothing, see
 * {@link JobConsumerLoop}), which wastes a whole run at every start. A loop arrives at its first assignment, which
 * Kafka reports to every member after each rebalance, even an empty one. The bound keeps a worker whose sibling
 * loop never joins (it died at start, the broker refuses it) from idling for good.
 *
 * <p>Open when {@code arrived == loops} or {@code now − firstArrival ≥ bound}; once open it stays open. Safe for
 * the loops' threads.
 */
public final class StartBarrier {

    private final int loops;
    private final long boundNanos;
    private final LongSupplier nanoTime;
    private final Set<String> arrived = new HashSet<>();
    private long firstArrival;
    private boolean open;

    /** A barrier for {@code loops} loops (≥ 1) that opens at the latest {@code bound} after the first one joined. */
    public static StartBarrier of(int loops, Duration bound) {
        return new StartBarrier(loops, bound, System::nanoTime);
    }

    /** A loop that starts alone: open at its first assignment. */
    public static StartBarrier none() {
        return of(1, Duration.ZERO);
    }

    StartBarrier(int loops, Duration bound, LongSupplier nanoTime) {
        if (loops < 1) {
            throw new IllegalArgumentException("a start barrier needs at least one loop, got " + loops);
        }
        Objects.requireNonNull(bound, "bound");
        if (bound.isNegative()) {
            throw new IllegalArgumentException("the start barrier's bound must not be negative, got " + bound);
        }
        this.loops = loops;
        this.boundNanos = bound.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Records that the loop {@code member} has joined the group; later calls for the same member change nothing. */
    public synchronized void arrive(String member) {
        Objects.requireNonNull(member, "member");
        if (arrived.isEmpty()) {
            firstArrival = nanoTime.getAsLong();
        }
        arrived.add(member);
        open |= arrived.size() >= loops;
    }

    /** Whether the loops may take jobs. */
    public synchronized boolean isOpen() {
        if (!open && !arrived.isEmpty() && nanoTime.getAsLong() - firstArrival >= boundNanos) {
            open = true;
        }
        return open;
    }

    /** How many loops have joined (for logs). */
    public synchronized int arrivals() {
        return arrived.size();
    }

    /** How many loops the barrier waits for. */
    public int loops() {
        return loops;
    }
}
