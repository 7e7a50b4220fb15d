package org.pv3dfarm.worker;

import java.util.Map;

/**
 * What a running worker tells its health endpoint ({@link WorkerHealthServer}), and the drain it offers to a
 * Kubernetes preStop hook. {@link RenderWorker} implements it; tests use a double.
 */
public interface WorkerProbe {

    /** False only when the worker cannot recover by itself (its consumer loop died of an error): restart it. */
    boolean live();

    /** True while the worker takes jobs: started, not draining, its consumer loop running. */
    boolean ready();

    /**
     * Stops taking jobs, lets the running one finish within the shutdown grace and commits it (or releases it
     * uncommitted for redelivery), leaves the consumer group; returns when all that is done. Idempotent.
     */
    void drain();

    /** Labels of the {@code pv3d_worker_info} metric: worker id, model, execution provider... */
    Map<String, String> info();
}
