package org.pv3dfarm.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exported PV3D model opened in ONNX Runtime: one session per graph, created on first use (or at open with
 * {@link ModelOptions#eagerSessions()}), shared by all threads.
 *
 * <p>Typed methods follow the graph contract of the manifest (B = batch):
 * {@link #mapping} z [B, z_dim], c [B, 25], psi [B] → ws [B, num_ws, w_dim];
 * {@link #synthesis} ws, z_motion [B, motion_dim], t [B] → planes [B, 3, C, R, R];
 * {@link #render} planes, ws, camera [B, 25] → {@link RenderOutput};
 * {@link #superResolution} features, raw_rgb, ws → rgb [B, 3, O, O];
 * {@link #density} planes, points [B, P, 3] → sigma [B, P, 1].
 * Inputs are checked against the manifest's shapes first; a mismatch raises {@link IllegalArgumentException}
 * naming the graph, the input and the expected dimensions.
 *
 * <p>Execution provider: with {@link ExecutionProvider#AUTO} or {@link ExecutionProvider#CUDA} the CUDA provider
 * is attached when the ONNX Runtime build has it and a device answers; otherwise the model runs on CPU and says
 * so in the log ({@link #executionProvider()} tells which one is in use).
 */
public final class Pv3dModel implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Pv3dModel.class.getName());

    private final ModelManifest manifest;
    private final ModelOptions options;
    private final OrtEnvironment env;
    private final Map<String, GraphSession> sessions = new ConcurrentHashMap<>();
    private OrtSession.SessionOptions cpuOptions;
    private OrtSession.SessionOptions gradientCpuOptions;
    private OrtSession.SessionOptions cudaOptions;
    private volatile ExecutionProvider provider;
    private volatile boolean closed;

    private Pv3dModel(ModelManifest manifest, ModelOptions options) {
        this.manifest = manifest;
        this.options = options;
        this.env = OrtEnvironment.getEnvironment();
        try {
            this.cpuOptions = sessionOptions();
            this.gradientCpuOptions = sessionOptions();
            // Gradient graphs sum repeated rows with ScatterND's "add" reduction, which ONNX Runtime's CPU kernel
            // splits over threads without atomics: on more than one intra-op thread a gradient can lose updates
            // (measured up to 3 % off the references). One thread keeps it exact, and a batch-1 gradient measured
            // cheaper in CPU time on one thread anyway (docs/benchmarks.md, issue 6); many inversions at once run
            // side by side instead (PortraitInverter's parallelism).
            this.gradientCpuOptions.setIntraOpNumThreads(1);
        } catch (OrtException e) {
            throw new ModelRunException("cannot configure ONNX Runtime session options: " + e.getMessage(), e);
        }
        this.provider = options.executionProvider() == ExecutionProvider.CPU ? ExecutionProvider.CPU : attachCuda();
    }

    /** Opens a loaded (validated) manifest's model. */
    public static Pv3dModel open(ModelManifest manifest, ModelOptions options) {
        Pv3dModel model = new Pv3dModel(manifest, options);
        LOG.log(Level.INFO, "Opened model {0} {1} from {2} on {3}", manifest.name(), manifest.version(),
                manifest.directory(), model.provider);
        if (options.eagerSessions()) {
            try {
                for (GraphRole role : GraphRole.values()) {
                    model.session(manifest.graph(role));
                }
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        return model;
    }

    /** Opens the default model ({@link ModelLocator#loadDefault()}) with default options. */
    public static Pv3dModel openDefault() {
        return open(ModelLocator.loadDefault(), ModelOptions.defaults());
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public ModelOptions options() {
        return options;
    }

    /** The provider the sessions run on: CPU, or CUDA when it attached. */
    public ExecutionProvider executionProvider() {
        return provider;
    }

    // ---- forward graphs ----

    /** z [B, z_dim], c [B, 25], truncation psi [B] → ws [B, num_ws, w_dim]. */
    public FloatTensor mapping(FloatTensor z, FloatTensor c, FloatTensor truncationPsi) {
        return run(GraphRole.MAPPING, Map.of("z", z, "c", c, "truncation_psi", truncationPsi)).get("ws");
    }

    /** The same with one psi for the whole batch. */
    public FloatTensor mapping(FloatTensor z, FloatTensor c, float truncationPsi) {
        return mapping(z, c, FloatTensor.filled(truncationPsi, batchOf(z, "mapping", "z")));
    }

    /** ws [B, num_ws, w_dim], z_motion [B, motion_dim], t [B] → planes [B, 3, C, R, R]. */
    public FloatTensor synthesis(FloatTensor ws, FloatTensor zMotion, FloatTensor t) {
        return run(GraphRole.SYNTHESIS, Map.of("ws", ws, "z_motion", zMotion, "t", t)).get("planes");
    }

    /** planes, ws, camera [B, 25] → feature image, raw RGB, depth (and opacity when exported). */
    public RenderOutput render(FloatTensor planes, FloatTensor ws, FloatTensor camera) {
        Map<String, FloatTensor> out = run(GraphRole.RENDER, Map.of("planes", planes, "ws", ws, "camera", camera));
        return new RenderOutput(out.get("features"), out.get("raw_rgb"), out.get("depth"), out.get("opacity"));
    }

    /** features, raw_rgb, ws → rgb [B, 3, O, O] in [-1, 1]. */
    public FloatTensor superResolution(FloatTensor features, FloatTensor rawRgb, FloatTensor ws) {
        return run(GraphRole.SUPERRES, Map.of("features", features, "raw_rgb", rawRgb, "ws", ws)).get("rgb");
    }

    /** planes, world points [B, P, 3] → density sigma [B, P, 1] (before the renderer's softplus). */
    public FloatTensor density(FloatTensor planes, FloatTensor points) {
        return run(GraphRole.DENSITY, Map.of("planes", planes, "points", points)).get("sigma");
    }

    /** render then superResolution: the final image of each view. */
    public FloatTensor image(FloatTensor planes, FloatTensor ws, FloatTensor camera) {
        RenderOutput r = render(planes, ws, camera);
        return superResolution(r.features(), r.rawRgb(), ws);
    }

    /** Runs a forward graph by role on named inputs and returns all its declared outputs. */
    public Map<String, FloatTensor> run(GraphRole role, Map<String, FloatTensor> inputs) {
        return session(manifest.graph(role)).run(inputs);
    }

    // ---- latents ----

    /** ws for a batch of w: w [B, w_dim] → [B, num_ws, w_dim], every row a copy of w (what the inversion graph uses). */
    public FloatTensor broadcastWs(FloatTensor w) {
        int wDim = manifest.config().wDim();
        int numWs = manifest.config().numWs();
        if (w.rank() != 2 || w.dim(1) != wDim) {
            throw new IllegalArgumentException("w must have shape [batch, " + wDim + "], was " + Arrays.toString(w.shape()));
        }
        int batch = (int) w.dim(0);
        float[] data = new float[batch * numWs * wDim];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < numWs; k++) {
                System.arraycopy(w.data(), b * wDim, data, (b * numWs + k) * wDim, wDim);
            }
        }
        return FloatTensor.of(data, batch, numWs, wDim);
    }

    /**
     * The average w the mapping network tracks ([1, w_dim]), read by mapping the latent mean with truncation
     * psi 0 at the canonical camera (psi 0 returns the tracked average whatever z is).
     */
    public FloatTensor averageW() {
        FloatTensor z = manifest.latentDistribution().z().meanTensor();
        FloatTensor c = FloatTensor.of(manifest.conventions().camera().canonical(), 1, Cameras.CAMERA_SIZE);
        FloatTensor ws = mapping(z, c, 0f);
        return FloatTensor.of(Arrays.copyOf(ws.data(), manifest.config().wDim()), 1, manifest.config().wDim());
    }

    // ---- gradient graphs ----

    /** The inversion gradient graph exported for {@code batch}; see {@link #gradientSizes}. */
    public InversionGradient inversionGradient(int batch) {
        return inversionGradient(gradientSpec(GradientKind.INVERSION, batch), batch);
    }

    /**
     * The coarse inversion gradient graph exported for {@code batch} ({@link GradientKind#INVERSION_COARSE}), or empty
     * when the model has none (then {@link Inverter} runs every step on {@link #inversionGradient(int)}).
     */
    public Optional<InversionGradient> coarseInversionGradient(int batch) {
        return manifest.gradientGraph(GradientKind.INVERSION_COARSE, batch).map(spec -> inversionGradient(spec, batch));
    }

    private InversionGradient inversionGradient(GradientGraphSpec spec, int batch) {
        return new InversionGradient(this, session(spec.graph()), batch, spec.fidelityDb());
    }

    /** The reconstruction gradient graph exported for {@code frames}. */
    public ReconstructionGradient reconstructionGradient(int frames) {
        return new ReconstructionGradient(this, session(gradientSpec(GradientKind.RECONSTRUCTION, frames).graph()), frames);
    }

    /** The sizes (batch or frames) a kind of gradient graph was exported for. */
    public List<Integer> gradientSizes(GradientKind kind) {
        return manifest.gradientGraphs(kind).stream().map(GradientGraphSpec::size).toList();
    }

    /** Runs a gradient graph on named inputs and returns all its declared outputs. */
    public Map<String, FloatTensor> runGradient(GradientKind kind, int size, Map<String, FloatTensor> inputs) {
        return session(gradientSpec(kind, size).graph()).run(inputs);
    }

    private GradientGraphSpec gradientSpec(GradientKind kind, int size) {
        return manifest.gradientGraph(kind, size).orElseThrow(() -> new IllegalArgumentException("model "
                + manifest.name() + " has no " + kind.key() + " gradient graph for " + kind.sizeField() + " " + size
                + "; exported " + kind.sizeField() + " sizes: " + gradientSizes(kind)));
    }

    // ---- sessions ----

    GraphSession session(GraphSpec spec) {
        if (closed) {
            throw new IllegalStateException("model " + manifest.name() + " is closed");
        }
        return sessions.computeIfAbsent(spec.key(), k -> createSession(spec));
    }

    private synchronized GraphSession createSession(GraphSpec spec) {
        if (closed) {
            throw new IllegalStateException("model " + manifest.name() + " is closed");
        }
        String path = spec.path(manifest.directory()).toString();
        long start = System.nanoTime();
        OrtSession session = null;
        if (provider == ExecutionProvider.CUDA) {
            try {
                session = env.createSession(path, cudaOptions);
            } catch (OrtException | RuntimeException e) {
                fallBackToCpu("creating the " + spec.key() + " session on CUDA failed", e);
            }
        }
        if (session == null) {
            try {
                session = env.createSession(path, isGradient(spec) ? gradientCpuOptions : cpuOptions);
            } catch (OrtException e) {
                throw new ModelRunException(spec.key() + ": ONNX Runtime cannot load " + path + ": " + e.getMessage(), e);
            }
        }
        LOG.log(Level.DEBUG, () -> String.format("%s: session for %s ready in %.0f ms on %s", manifest.name(),
                spec.key(), (System.nanoTime() - start) / 1e6, provider));
        return new GraphSession(env, spec, session);
    }

    /** Whether a graph is one of the gradient graphs (not a forward role). */
    private boolean isGradient(GraphSpec spec) {
        return !manifest.graphs().containsValue(spec);
    }

    private OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        if (options.intraOpThreads() > 0) {
            so.setIntraOpNumThreads(options.intraOpThreads());
        }
        if (options.interOpThreads() > 0) {
            so.setInterOpNumThreads(options.interOpThreads());
        }
        so.setCPUArenaAllocator(options.memoryArena());
        // Each graph has its own session and thread pool and a frame runs them one after another: threads left
        // spinning by the last graph would steal the cores from the next one (measured: a tiny frame took 77 ms
        // with spinning against 36 ms for its three graphs run alone).
        so.addConfigEntry("session.intra_op.allow_spinning", "0");
        so.addConfigEntry("session.inter_op.allow_spinning", "0");
        so.setOptimizationLevel(switch (options.optimization()) {
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        });
        return so;
    }

    /** Tries to attach CUDA; returns the provider the model will use. */
    private ExecutionProvider attachCuda() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            logFallback("this ONNX Runtime build has no CUDA provider (use the onnxruntime_gpu build: -Pgpu)", null);
            return ExecutionProvider.CPU;
        }
        OrtSession.SessionOptions so = null;
        try {
            so = sessionOptions();
            so.addCUDA(options.cudaDeviceId());
            cudaOptions = so;
            return ExecutionProvider.CUDA;
        } catch (OrtException | RuntimeException | LinkageError e) {
            if (so != null) {
                so.close();
            }
            logFallback("the CUDA provider did not attach to device " + options.cudaDeviceId(), e);
            return ExecutionProvider.CPU;
        }
    }

    private void fallBackToCpu(String why, Throwable cause) {
        logFallback(why, cause);
        provider = ExecutionProvider.CPU;
    }

    private void logFallback(String why, Throwable cause) {
        // Asked-for CUDA that does not come is worth a warning; AUTO on a CPU machine is the normal case.
        Level level = options.executionProvider() == ExecutionProvider.CUDA ? Level.WARNING : Level.INFO;
        String detail = cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        LOG.log(level, "Model {0}: {1}{2}; running on CPU", manifest.name(), why, detail);
    }

    private static long batchOf(FloatTensor t, String graph, String input) {
        if (t.rank() == 0) {
            throw new IllegalArgumentException(graph + ": input '" + input + "' needs a batch dimension, got a scalar");
        }
        return t.dim(0);
    }

    /** Closes every session; further calls fail with {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Map<String, GraphSession> open = new LinkedHashMap<>(sessions);
        sessions.clear();
        RuntimeException failure = null;
        for (GraphSession s : open.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        cpuOptions.close();
        gradientCpuOptions.close();
        if (cudaOptions != null) {
            cudaOptions.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Pv3dModel[" + manifest.name() + " " + manifest.version() + ", " + provider + "]";
    }
}
