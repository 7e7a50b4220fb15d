package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartBarrierTest {

    private final AtomicLong now = new AtomicLong(1_000);

    private StartBarrier barrier(int loops, Duration bound) {
        return new StartBarrier(loops, bound, now::get);
    }

    @Test
    void opensWhenEveryLoopHasJoinedAndOnlyThen() {
        StartBarrier barrier = barrier(3, Duration.ofSeconds(30));
        assertFalse(barrier.isOpen(), "nobody joined");
        barrier.arrive("w-0");
        barrier.arrive("w-0"); // a loop's later rebalances are not new loops
        barrier.arrive("w-1");
        assertFalse(barrier.isOpen(), "two of three joined");
        assertEquals(2, barrier.arrivals());
        barrier.arrive("w-2");
        assertTrue(barrier.isOpen());
    }

    @Test
    void opensTheBoundAfterTheFirstArrivalAndStaysOpen() {
        StartBarrier barrier = barrier(2, Duration.ofSeconds(30));
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertFalse(barrier.isOpen(), "the bound counts from the first loop that joined, not from the start");
        barrier.arrive("w-0");
        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertFalse(barrier.isOpen(), "1 ns before the bound");
        now.incrementAndGet();
        assertTrue(barrier.isOpen(), "at the bound");
        now.set(0); // a clock read later cannot close it again
        assertTrue(barrier.isOpen());
    }

    @Test
    void aLoopAloneOpensItAtItsFirstAssignment() {
        StartBarrier barrier = StartBarrier.none();
        assertFalse(barrier.isOpen(), "not before it joined");
        barrier.arrive("w");
        assertTrue(barrier.isOpen());
        assertEquals(1, barrier.loops());
    }

    @Test
    void rejectsNoLoopsAndANegativeBound() {
        assertThrows(IllegalArgumentException.class, () -> StartBarrier.of(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> StartBarrier.of(2, Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> StartBarrier.of(2, null));
    }
}
