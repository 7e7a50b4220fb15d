package org.pv3dfarm.worker.face;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pv3dfarm.worker.RgbImage;

/**
 * {@link FaceDetector} running MediaPipe BlazeFace in ONNX Runtime on the CPU: the image is letterboxed into the
 * model's square input ({@link Letterbox}, {@link LetterboxResampler}, RGB in [-1, 1], black padding), the raw
 * outputs are decoded against the SSD anchors ({@link SsdAnchors}, {@link BlazeFaceDecoder}), overlapping
 * candidates are blended ({@link WeightedNms}) and the survivors are mapped back to the source image's pixels.
 * One session serves concurrent callers (ONNX Runtime sessions are thread-safe).
 */
public final class BlazeFaceDetector implements FaceDetector {

    /** Images smaller than this on a side are rejected: a face there is below the model's smallest anchor cell. */
    public static final int MIN_IMAGE_SIDE = 16;

    private final FaceDetectorOptions options;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final BlazeFaceDecoder decoder;
    private final WeightedNms nms;
    private final LetterboxResampler resampler = new LetterboxResampler(-1f, 1f, -1f);
    private volatile boolean closed;

    private BlazeFaceDetector(FaceDetectorOptions options, OrtEnvironment env, OrtSession session) {
        this.options = options;
        this.env = env;
        this.session = session;
        BlazeFaceModel model = options.model();
        this.decoder = new BlazeFaceDecoder(SsdAnchors.generate(model.anchorOptions()), model.inputSize());
        this.nms = new WeightedNms(options.iouThreshold());
    }

    /** Loads the committed model of {@code options} and checks that its graph is the one expected. */
    public static BlazeFaceDetector open(FaceDetectorOptions options) {
        Objects.requireNonNull(options, "options");
        BlazeFaceModel model = options.model();
        byte[] bytes;
        try (InputStream in = BlazeFaceDetector.class.getResourceAsStream(model.resource())) {
            if (in == null) {
                throw new IllegalStateException("the BlazeFace model " + model.resource() + " is not on the classpath");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the BlazeFace model " + model.resource(), e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1);
            // The converted graphs carry a few unused constants; ONNX Runtime warns about each on every load.
            so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            OrtSession session = env.createSession(bytes, so);
            try {
                checkGraph(session, model);
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
            return new BlazeFaceDetector(options, env, session);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the BlazeFace model " + model.resource() + ": "
                    + e.getMessage(), e);
        }
    }

    public FaceDetectorOptions options() {
        return options;
    }

    @Override
    public List<Detection> detect(RgbImage image) {
        if (image == null) {
            throw new InvalidImageException("no image given");
        }
        if (image.width() < MIN_IMAGE_SIDE || image.height() < MIN_IMAGE_SIDE) {
            throw new InvalidImageException("image " + image.width() + "x" + image.height()
                    + " is too small to search for faces (at least " + MIN_IMAGE_SIDE + " pixels a side)");
        }
        if (closed) {
            throw new IllegalStateException("face detector is closed");
        }
        int size = options.model().inputSize();
        Letterbox box = new Letterbox(image.width(), image.height(), size);
        float[] input = resampler.resample(image, box);
        float[] logits;
        float[] raw;
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, size, size, 3});
             OrtSession.Result result = session.run(Map.of(BlazeFaceModel.INPUT, tensor))) {
            logits = concat(result, BlazeFaceModel.SCORES);
            raw = concat(result, BlazeFaceModel.BOXES);
        } catch (OrtException e) {
            throw new IllegalStateException("BlazeFace failed on a " + image.width() + "x" + image.height()
                    + " image: " + e.getMessage(), e);
        }
        List<Candidate> kept = nms.suppress(decoder.decode(logits, raw, (float) options.minScore()),
                options.maxFaces());
        List<Detection> out = new ArrayList<>(kept.size());
        for (Candidate c : kept) {
            out.add(toSource(c, box));
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the BlazeFace session: " + e.getMessage(), e);
        }
    }

    private static Detection toSource(Candidate c, Letterbox box) {
        float[] k = c.coords();
        ImagePoint center = box.toSource(k[0], k[1]);
        FaceBox faceBox = FaceBox.ofCenter(center.x(), center.y(), box.toSourceLength(Math.max(0, k[2])),
                box.toSourceLength(Math.max(0, k[3])));
        List<ImagePoint> points = new ArrayList<>(FaceKeypoint.COUNT);
        for (int i = 0; i < FaceKeypoint.COUNT; i++) {
            points.add(box.toSource(k[4 + 2 * i], k[5 + 2 * i]));
        }
        return new Detection(faceBox, Math.min(1.0, Math.max(0.0, c.score())), points);
    }

    private static float[] concat(OrtSession.Result result, List<String> names) {
        float[][] parts = new float[names.size()][];
        int total = 0;
        for (int i = 0; i < names.size(); i++) {
            OnnxTensor t = (OnnxTensor) result.get(names.get(i)).orElseThrow(
                    () -> new IllegalStateException("BlazeFace output missing"));
            FloatBuffer fb = t.getFloatBuffer();
            parts[i] = new float[fb.remaining()];
            fb.get(parts[i]);
            total += parts[i].length;
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void checkGraph(OrtSession session, BlazeFaceModel model) throws OrtException {
        int s = model.inputSize();
        expectShape(session.getInputInfo(), BlazeFaceModel.INPUT, new long[] {1, s, s, 3}, model);
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        for (int i = 0; i < BlazeFaceModel.SCORES.size(); i++) {
            long n = BlazeFaceModel.ANCHORS_PER_OUTPUT.get(i);
            expectShape(outputs, BlazeFaceModel.SCORES.get(i), new long[] {1, n, 1}, model);
            expectShape(outputs, BlazeFaceModel.BOXES.get(i), new long[] {1, n, BlazeFaceDecoder.RAW_VALUES}, model);
        }
    }

    private static void expectShape(Map<String, NodeInfo> nodes, String name, long[] shape, BlazeFaceModel model) {
        NodeInfo node = nodes.get(name);
        long[] actual = node != null && node.getInfo() instanceof TensorInfo t ? t.getShape() : null;
        if (!Arrays.equals(actual, shape)) {
            throw new IllegalStateException(model.resource() + ": expected " + name + " " + Arrays.toString(shape)
                    + ", found " + (actual == null ? "none" : Arrays.toString(actual)));
        }
    }
}
