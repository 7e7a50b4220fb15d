package org.pv3dfarm.worker.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.ExecutionProvider;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.ModelOptions;
import org.pv3dfarm.model.Pv3dModel;
import org.pv3dfarm.worker.RgbImage;

/**
 * BlazeFace on the procedural talking heads (model/python/pv3d/face_probe.py renders them with the true image
 * positions of their eyes, nose and mouth). Not a test: {@code bench/face-benchmarks} renders the heads, builds the
 * classpath and runs {@code java -cp CP org.pv3dfarm.worker.face.FaceBenchmark --heads DIR [--model FRONT_128]
 * [--min-score 0.5] [--pad 0] [--record]}.
 *
 * <p>Per image: detected when exactly one face scores at least {@code --min-score}; for those, a keypoint is in
 * place when it lies within 0.2 × the true eyes-to-mouth distance (the distance from the midpoint of the eyes to
 * the mouth centre, about 40 px at 128²: a radius of about one eye) of its true position. {@code --pad F} first
 * places each head on a canvas (1 + F) times as large, filled with the heads' background colour, so the head fills
 * less of the frame. {@code --sheet FILE} draws the first heads with their detections (a PNG, see
 * {@link ContactSheet}). With {@code --record}, the figures go into bench/results.json as {@code blazeface_heads_*}.
 */
public final class FaceBenchmark {

    static final double TOLERANCE = 0.2;
    private static final List<String> CHECKED = List.of("right_eye", "left_eye", "nose_tip", "mouth_center");
    private static final int BACKGROUND_GREY = 207; // heads.BACKGROUND ≈ (199, 209, 224); grey close to it

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            opts.put(args[i], args[i].equals("--record") ? "true" : args[++i]);
        }
        Path dir = Path.of(opts.getOrDefault("--heads", "model/build/face-probe"));
        BlazeFaceModel model = BlazeFaceModel.valueOf(opts.getOrDefault("--model", "FRONT_128"));
        double minScore = Double.parseDouble(opts.getOrDefault("--min-score", "0.5"));
        double pad = Double.parseDouble(opts.getOrDefault("--pad", "0"));
        if (opts.containsKey("--model-dir")) {
            modelRenders(Path.of(opts.get("--model-dir")), Integer.parseInt(opts.getOrDefault("--count", "64")),
                    FaceDetectorOptions.builder().model(model).minScore(minScore).build(), opts, args);
            return;
        }
        JsonNode heads = new ObjectMapper().readTree(dir.resolve("heads.json").toFile());

        int exactlyOne = 0;
        int none = 0;
        int allInPlace = 0;
        Map<String, Integer> inPlace = new LinkedHashMap<>();
        Map<String, List<Double>> errors = new LinkedHashMap<>();
        CHECKED.forEach(k -> errors.put(k, new ArrayList<>()));
        List<Double> millis = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        List<double[]> poses = new ArrayList<>(); // {yaw, pitch, nose offset across, nose offset down}
        ContactSheet sheet = opts.containsKey("--sheet") ? new ContactSheet(6, 2, 2) : null;
        FaceDetectorOptions options = FaceDetectorOptions.builder().model(model).minScore(minScore).build();
        try (BlazeFaceDetector detector = BlazeFaceDetector.open(options)) {
            for (JsonNode head : heads) {
                RgbImage image = TestImages.read(dir.resolve(head.get("file").asText()));
                int offset = (int) Math.round(image.width() * pad / 2);
                if (offset > 0) {
                    image = TestImages.placed(image, image.width() + 2 * offset, image.height() + 2 * offset, offset,
                            offset, BACKGROUND_GREY);
                }
                long start = System.nanoTime();
                List<Detection> faces = detector.detect(image);
                millis.add((System.nanoTime() - start) / 1e6);
                if (sheet != null) {
                    sheet.add(image, faces, truePoints(head.get("keypoints"), offset));
                }
                if (faces.size() != 1) {
                    none += faces.isEmpty() ? 1 : 0;
                    misses.add(head.get("file").asText() + String.format(" (%d faces, yaw %.2f, pitch %.2f)",
                            faces.size(), head.get("yaw").asDouble(), head.get("pitch").asDouble()));
                    continue;
                }
                exactlyOne++;
                JsonNode truth = head.get("keypoints");
                ImagePoint eyes = midpoint(point(truth, "right_eye", offset), point(truth, "left_eye", offset));
                double scale = eyes.distance(point(truth, "mouth_center", offset));
                boolean all = true;
                for (String k : CHECKED) {
                    ImagePoint found = faces.get(0).keypoint(FaceKeypoint.valueOf(k.toUpperCase()));
                    double error = found.distance(point(truth, k, offset));
                    errors.get(k).add(error);
                    boolean ok = error <= TOLERANCE * scale;
                    inPlace.merge(k, ok ? 1 : 0, Integer::sum);
                    all &= ok;
                }
                allInPlace += all ? 1 : 0;
                poses.add(new double[] {head.get("yaw").asDouble(), head.get("pitch").asDouble(),
                        poseCues(faces.get(0))[0], poseCues(faces.get(0))[1]});
            }
        }

        if (sheet != null) {
            sheet.write(Path.of(opts.get("--sheet")));
        }
        int n = heads.size();
        double rate = (double) exactlyOne / n;
        double keypointRate = exactlyOne == 0 ? 0 : (double) allInPlace / exactlyOne;
        System.out.printf("BlazeFace %s, min score %.2f, pad %.2f: %d heads from %s%n", model, minScore, pad, n, dir);
        System.out.printf("  exactly one face: %d/%d = %.3f (no face: %d, several: %d)%n", exactlyOne, n, rate, none,
                n - exactlyOne - none);
        System.out.printf("  eyes, nose and mouth all within %.1f x eyes-to-mouth: %d/%d = %.3f of the detected%n",
                TOLERANCE, allInPlace, exactlyOne, keypointRate);
        for (String k : CHECKED) {
            System.out.printf("    %-13s in place %d/%d, median error %.1f px, max %.1f px%n", k,
                    inPlace.getOrDefault(k, 0), exactlyOne, median(errors.get(k)), max(errors.get(k)));
        }
        double yawCorr = correlation(poses, 0, 2);
        double pitchCorr = correlation(poses, 1, 3);
        System.out.printf("  pose cues from the detected keypoints vs the true camera: yaw %.3f, pitch %.3f"
                + " (Pearson)%n", yawCorr, pitchCorr);
        System.out.printf("  detect time: median %.2f ms per image (1 intra-op thread)%n", median(millis));
        misses.forEach(m -> System.out.println("  missed: " + m));

        if (opts.containsKey("--record")) {
            String command = "bench/face-benchmarks  (java ... FaceBenchmark " + String.join(" ", args) + ")";
            Map<String, Object[]> rows = new LinkedHashMap<>();
            rows.put("blazeface_heads_detection_rate", new Object[] {round(rate), "share of " + n
                    + " heads with exactly one face, score >= " + minScore});
            rows.put("blazeface_heads_keypoints_in_place", new Object[] {round(keypointRate),
                    "share of detected heads with eyes, nose and mouth within " + TOLERANCE + " x eyes-to-mouth"});
            rows.put("blazeface_heads_yaw_corr", new Object[] {round(yawCorr), "Pearson correlation of the"
                    + " nose's offset from the eyes' midpoint with the true yaw"});
            record(rows, command);
        }
    }

    /**
     * The heads a fitted model renders ({@code --model-dir}, e.g. model/exported/demo): {@code --count} codes sampled
     * from the manifest's distribution, each at a random time and a random view (yaw ±0.5, pitch ±0.25 from
     * frontal); no true keypoints here, so a detection counts as plausible when the eyes, nose and mouth lie in
     * the box with the eyes above the nose above the mouth. {@code --save DIR} writes the renders as PNGs.
     */
    private static void modelRenders(Path modelDir, int count, FaceDetectorOptions options, Map<String, String> opts,
                                     String[] args) throws IOException {
        ModelManifest m = ModelManifest.load(modelDir);
        SplittableRandom random = new SplittableRandom(11);
        FloatTensor canonical = FloatTensor.of(Cameras.canonical(m), 1, Cameras.CAMERA_SIZE);
        int exactlyOne = 0;
        int plausible = 0;
        try (Pv3dModel model = Pv3dModel.open(m, ModelOptions.builder().executionProvider(ExecutionProvider.CPU)
                .build()); BlazeFaceDetector detector = BlazeFaceDetector.open(options)) {
            for (int i = 0; i < count; i++) {
                FloatTensor z = m.latentDistribution().z().sample(random, 1);
                FloatTensor zMotion = m.latentDistribution().zMotion().sample(random, 1);
                FloatTensor t = FloatTensor.vector((float) random.nextDouble());
                double yaw = random.nextDouble(-0.5, 0.5);
                double pitch = random.nextDouble(-0.25, 0.25);
                FloatTensor camera = FloatTensor.of(Cameras.offset(m.conventions().camera(), yaw, pitch), 1,
                        Cameras.CAMERA_SIZE);
                FloatTensor ws = model.mapping(z, canonical, 1f);
                FloatTensor image = model.image(model.synthesis(ws, zMotion, t), ws, camera);
                RgbImage rgb = RgbImage.fromSignedUnitChw(image.data(), 0, (int) image.dim(3), (int) image.dim(2));
                if (opts.containsKey("--save")) {
                    savePng(rgb, Path.of(opts.get("--save")).resolve(String.format("render-%03d.png", i)));
                }
                List<Detection> faces = detector.detect(rgb);
                if (faces.size() == 1) {
                    exactlyOne++;
                    plausible += plausible(faces.get(0)) ? 1 : 0;
                } else {
                    System.out.printf("  missed: render %d (%d faces, yaw %.2f, pitch %.2f)%n", i, faces.size(), yaw,
                            pitch);
                }
            }
        }
        double rate = (double) exactlyOne / count;
        System.out.printf("BlazeFace %s, min score %.2f on %d renders of %s (%s)%n", options.model(),
                options.minScore(), count, m.name(), modelDir);
        System.out.printf("  exactly one face: %d/%d = %.3f; plausible keypoints: %d/%d%n", exactlyOne, count, rate,
                plausible, exactlyOne);
        if (opts.containsKey("--record")) {
            String name = "blazeface_" + m.name().replace("pv3d-", "").replace('-', '_') + "_model_detection_rate";
            record(Map.of(name, new Object[] {round(rate), "share of " + count + " renders (sampled codes, yaw ±0.5,"
                    + " pitch ±0.25) with exactly one face, score >= " + options.minScore()}),
                    "bench/face-benchmarks  (java ... FaceBenchmark " + String.join(" ", args) + ")");
        }
    }

    static boolean plausible(Detection face) {
        ImagePoint right = face.keypoint(FaceKeypoint.RIGHT_EYE);
        ImagePoint left = face.keypoint(FaceKeypoint.LEFT_EYE);
        ImagePoint nose = face.keypoint(FaceKeypoint.NOSE_TIP);
        ImagePoint mouth = face.keypoint(FaceKeypoint.MOUTH_CENTER);
        boolean inside = List.of(right, left, nose, mouth).stream().allMatch(face.box()::contains);
        return inside && right.x() < left.x() && Math.max(right.y(), left.y()) < nose.y() && nose.y() < mouth.y();
    }

    private static void savePng(RgbImage image, Path file) throws IOException {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                out.setRGB(x, y, image.sample(x, y, 0) << 16 | image.sample(x, y, 1) << 8 | image.sample(x, y, 2));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(out, "png", file.toFile());
    }

    /**
     * Pose cues of a detection: the nose tip's offset from the eyes' midpoint along the eye line and across it,
     * each divided by the eyes-to-mouth distance (turning the head moves the nose sideways, nodding moves it
     * along the face's vertical).
     */
    static double[] poseCues(Detection face) {
        ImagePoint eyes = midpoint(face.keypoint(FaceKeypoint.RIGHT_EYE), face.keypoint(FaceKeypoint.LEFT_EYE));
        ImagePoint nose = face.keypoint(FaceKeypoint.NOSE_TIP);
        double scale = eyes.distance(face.keypoint(FaceKeypoint.MOUTH_CENTER));
        return new double[] {(nose.x() - eyes.x()) / scale, (nose.y() - eyes.y()) / scale};
    }

    private static double correlation(List<double[]> rows, int a, int b) {
        int n = rows.size();
        double ma = rows.stream().mapToDouble(r -> r[a]).sum() / n;
        double mb = rows.stream().mapToDouble(r -> r[b]).sum() / n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (double[] r : rows) {
            sab += (r[a] - ma) * (r[b] - mb);
            saa += (r[a] - ma) * (r[a] - ma);
            sbb += (r[b] - mb) * (r[b] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static List<ImagePoint> truePoints(JsonNode keypoints, int offset) {
        return CHECKED.stream().map(k -> point(keypoints, k, offset)).toList();
    }

    private static ImagePoint point(JsonNode keypoints, String name, int offset) {
        JsonNode p = keypoints.get(name);
        return new ImagePoint(p.get(0).asDouble() + offset, p.get(1).asDouble() + offset);
    }

    private static ImagePoint midpoint(ImagePoint a, ImagePoint b) {
        return new ImagePoint((a.x() + b.x()) / 2, (a.y() + b.y()) / 2);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static void record(Map<String, Object[]> rows, String command) throws IOException {
        org.pv3dfarm.worker.BenchResults.record(rows, command);
    }
}
