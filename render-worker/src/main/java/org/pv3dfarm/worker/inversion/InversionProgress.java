package org.pv3dfarm.worker.inversion;

/**
 * Told how inversions advance, every few steps ({@link PortraitInverter}'s {@code progressEvery}) and after the last
 * step. Called from the inverting threads (several at once under {@link PortraitInverter#invertAll}); may throw to
 * abandon the inversion (a cancelled job), which then ends with that exception.
 */
@FunctionalInterface
public interface InversionProgress {

    /** Ignores everything. */
    InversionProgress NONE = (index, step, steps, loss) -> { };

    /**
     * @param index which target (its position in the list given to {@code invertAll}; 0 for a single inversion)
     * @param step  Adam steps taken
     * @param steps the most steps the options allow
     * @param loss  the best loss so far
     */
    void onProgress(int index, int step, int steps, double loss);
}
