package org.pv3dfarm.model;

/**
 * How {@link Pv3dModel} creates its ONNX Runtime sessions. Immutable; build with {@link #builder()}.
 *
 * <p>Thread counts of 0 leave the choice to ONNX Runtime (one intra-op thread per physical core). Workers that
 * run several models or requests side by side should set {@code intraOpThreads} so that their sum fits the cores.
 *
 * @param executionProvider CPU, CUDA or AUTO (CUDA when it attaches)
 * @param cudaDeviceId the CUDA device used when CUDA attaches
 * @param intraOpThreads threads inside one operator (0 = ONNX Runtime's default)
 * @param interOpThreads threads across independent operators (0 = default; only used by parallel execution)
 * @param memoryArena whether the CPU allocator keeps freed blocks in an arena for reuse
 * @param optimization the graph optimisation level
 * @param eagerSessions create every forward session at open (fail fast) instead of on first use
 */
public record ModelOptions(ExecutionProvider executionProvider, int cudaDeviceId, int intraOpThreads,
                           int interOpThreads, boolean memoryArena, GraphOptimization optimization,
                           boolean eagerSessions) {

    /** More threads than this is a configuration mistake, not a big machine. */
    static final int MAX_THREADS = 1024;

    public ModelOptions {
        if (executionProvider == null) {
            throw new IllegalArgumentException("executionProvider must not be null");
        }
        if (optimization == null) {
            throw new IllegalArgumentException("optimization must not be null");
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("cudaDeviceId must not be negative, was " + cudaDeviceId);
        }
        checkThreads("intraOpThreads", intraOpThreads);
        checkThreads("interOpThreads", interOpThreads);
    }

    private static void checkThreads(String name, int value) {
        if (value < 0 || value > MAX_THREADS) {
            throw new IllegalArgumentException(name + " must be between 0 (ONNX Runtime's default) and "
                    + MAX_THREADS + ", was " + value);
        }
    }

    /** The defaults: AUTO provider, device 0, ORT's thread defaults, memory arena on, all optimisations, lazy. */
    public static ModelOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().executionProvider(executionProvider).cudaDeviceId(cudaDeviceId)
                .intraOpThreads(intraOpThreads).interOpThreads(interOpThreads).memoryArena(memoryArena)
                .optimization(optimization).eagerSessions(eagerSessions);
    }

    /** Builds {@link ModelOptions}; {@link #build()} validates. */
    public static final class Builder {
        private ExecutionProvider executionProvider = ExecutionProvider.AUTO;
        private int cudaDeviceId;
        private int intraOpThreads;
        private int interOpThreads;
        private boolean memoryArena = true;
        private GraphOptimization optimization = GraphOptimization.ALL;
        private boolean eagerSessions;

        private Builder() {
        }

        public Builder executionProvider(ExecutionProvider value) {
            this.executionProvider = value;
            return this;
        }

        public Builder cudaDeviceId(int value) {
            this.cudaDeviceId = value;
            return this;
        }

        public Builder intraOpThreads(int value) {
            this.intraOpThreads = value;
            return this;
        }

        public Builder interOpThreads(int value) {
            this.interOpThreads = value;
            return this;
        }

        public Builder memoryArena(boolean value) {
            this.memoryArena = value;
            return this;
        }

        public Builder optimization(GraphOptimization value) {
            this.optimization = value;
            return this;
        }

        public Builder eagerSessions(boolean value) {
            this.eagerSessions = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid option */
        public ModelOptions build() {
            return new ModelOptions(executionProvider, cudaDeviceId, intraOpThreads, interOpThreads, memoryArena,
                    optimization, eagerSessions);
        }
    }
}
