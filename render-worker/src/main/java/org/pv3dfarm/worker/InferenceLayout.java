package org.pv3dfarm.worker;

/**
 * How a worker spreads inference over its CPU cores: {@code lanes} graph runs at once ({@link InferenceLanes}), each
 * with {@code intraOpThreads} ONNX Runtime threads, so that {@code lanes × intraOpThreads ≈ cores}.
 *
 * <p>From the two settings ({@code PV3D_INTRA_OP_THREADS}, {@code PV3D_WORKER_INFERENCE_LANES}; 0 = unset):
 * <ul>
 *   <li>neither set: one intra-op thread and one lane per core. A single-threaded ORT call loses nothing when the
 *       farm's own work (encoding, events, uploads) takes a core for a moment, where a parallel-for waits for its
 *       slowest thread; it is also the most frugal setting by CPU time (docs/benchmarks.md, issue 5);</li>
 *   <li>threads {@code T} set: {@code max(1, cores / T)} lanes;</li>
 *   <li>lanes {@code L} set: {@code max(1, cores / L)} threads each;</li>
 *   <li>both set: as given.</li>
 * </ul>
 *
 * @param intraOpThreads ONNX Runtime intra-op threads per graph call, at least 1
 * @param lanes          graph runs that may execute at once, at least 1
 */
public record InferenceLayout(int intraOpThreads, int lanes) {

    public InferenceLayout {
        if (intraOpThreads < 1 || lanes < 1) {
            throw new IllegalArgumentException("intra-op threads and lanes must be at least 1, were " + intraOpThreads
                    + " and " + lanes);
        }
    }

    /**
     * @param cores          CPU cores this worker may use, at least 1
     * @param intraOpSetting configured intra-op threads, 0 when unset
     * @param lanesSetting   configured lanes, 0 when unset
     */
    public static InferenceLayout of(int cores, int intraOpSetting, int lanesSetting) {
        if (cores < 1 || intraOpSetting < 0 || lanesSetting < 0) {
            throw new IllegalArgumentException("cores must be at least 1 and the settings not negative, were "
                    + cores + ", " + intraOpSetting + " and " + lanesSetting);
        }
        if (intraOpSetting == 0 && lanesSetting == 0) {
            return new InferenceLayout(1, cores);
        }
        if (lanesSetting == 0) {
            return new InferenceLayout(intraOpSetting, Math.max(1, cores / intraOpSetting));
        }
        if (intraOpSetting == 0) {
            return new InferenceLayout(Math.max(1, cores / lanesSetting), lanesSetting);
        }
        return new InferenceLayout(intraOpSetting, lanesSetting);
    }
}
