package org.pv3dfarm.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BackgroundThreadsTest {

    @Test
    void stopWakesTheBlockedLoopAndWaitsForItsThread() {
        CountDownLatch wakeup = new CountDownLatch(1);
        Thread loop = new Thread(() -> {
            try {
                wakeup.await(); // stands for a blocked poll that only a wakeup ends
                Thread.sleep(100); // the loop still has work after waking: stop must wait for it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        BackgroundThreads.stop(loop, wakeup::countDown);
        assertFalse(loop.isAlive(), "stop returns once the thread has ended");
    }

    @Test
    void nothingToStopIsFine() {
        assertDoesNotThrow(() -> BackgroundThreads.stop(null, null));
    }
}
