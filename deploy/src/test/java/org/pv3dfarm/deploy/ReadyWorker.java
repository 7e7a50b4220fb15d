package org.pv3dfarm.deploy;

import java.util.Map;
import org.pv3dfarm.worker.WorkerProbe;

/** A worker double that is alive, and ready until told otherwise; its drain does nothing. */
final class ReadyWorker implements WorkerProbe {

    volatile boolean ready = true;

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public void drain() {
    }

    @Override
    public Map<String, String> info() {
        return Map.of("worker", "probe-check");
    }
}
