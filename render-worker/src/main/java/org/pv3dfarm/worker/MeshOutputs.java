package org.pv3dfarm.worker;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.protocol.MeshFormat;
import org.pv3dfarm.protocol.MeshOptions;
import org.pv3dfarm.worker.mesh.GlbWriter;
import org.pv3dfarm.worker.mesh.MarchingCubes;
import org.pv3dfarm.worker.mesh.PlyWriter;
import org.pv3dfarm.worker.mesh.ScalarGrid;
import org.pv3dfarm.worker.mesh.TriangleMesh;

/**
 * Meshes of a job ({@code outputs.mesh}), of its first track (a generate job's sample; an inversion job's first
 * motion or appearance): for each requested frame, that frame's tri-planes (a sampled z mapped with the frame's
 * conditioning camera, or the given w repeated over num_ws; then synthesis at the track's {@code t} of the frame),
 * the density graph's raw sigma on an
 * {@code n³} grid spanning the planes' cube {@code [−box_warp/2, box_warp/2]³} (world units, EG3D axes: y up, the
 * frontal camera on +z), and {@link MarchingCubes} at the threshold; each mesh uploaded as PLY and/or GLB.
 *
 * <p>The planes of mesh frames are synthesised again rather than kept from the render pass: a few extra
 * synthesis calls per job (at most {@value MeshOptions#MAX_FRAMES}) keep the renderer's memory flat and its loop
 * untouched. The density graph runs in chunks of {@value #CHUNK_POINTS} points.
 */
public final class MeshOutputs {

    public static final int CHUNK_POINTS = 65_536;
    public static final String GENERATOR = "pv3d-farm marching cubes";

    /**
     * One frame's mesh as written.
     *
     * @param frame        the frame index
     * @param t            its motion time
     * @param vertices     vertex count
     * @param triangles    triangle count
     * @param area         surface area, world units²
     * @param volume       enclosed volume, world units³
     * @param watertight   every edge shared by exactly two consistently oriented triangles
     * @param keys         format wire name → object key
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Mesh(int frame, float t, int vertices, int triangles, double area, double volume,
            boolean watertight, Map<String, String> keys) {
    }

    /** All of a job's meshes, with the grid they were sampled on. */
    public record Written(int resolution, double threshold, double boxHalf, List<Mesh> meshes, Duration time) {

        public List<String> keys() {
            List<String> all = new ArrayList<>();
            meshes.forEach(m -> all.addAll(m.keys().values()));
            return all;
        }
    }

    private final GeneratorGraphs graphs;
    private final DensityGraph density;
    private final double boxHalf;
    private final int numWs;

    /**
     * @param boxWarp the side of the cube the model's planes span ({@code config.box_warp})
     * @param numWs   the model's {@code num_ws}, for tracks with a given w
     */
    public MeshOutputs(GeneratorGraphs graphs, DensityGraph density, double boxWarp, int numWs) {
        this.graphs = Objects.requireNonNull(graphs, "graphs");
        this.density = Objects.requireNonNull(density, "density");
        if (!(boxWarp > 0) || Double.isInfinite(boxWarp)) {
            throw new IllegalArgumentException("boxWarp must be finite and positive, was " + boxWarp);
        }
        this.boxHalf = boxWarp / 2;
        if (numWs < 1) {
            throw new IllegalArgumentException("numWs must be at least 1, was " + numWs);
        }
        this.numWs = numWs;
    }

    /** Extracts, encodes and uploads every requested mesh. */
    public Written write(MeshOptions options, ClipTrack track, CameraPlan plan, OutputKeyLayout keys,
            ObjectUploader uploader) throws UploadException {
        long started = System.nanoTime();
        int n = options.resolution();
        List<Mesh> meshes = new ArrayList<>(options.frames().size());
        for (int frame : options.frames()) {
            TriangleMesh mesh = MarchingCubes.extract(ScalarGrid.cube(n, boxHalf, sigma(planes(track, plan, frame),
                    n)), options.threshold());
            Map<String, String> written = new LinkedHashMap<>();
            for (MeshFormat format : options.formats()) {
                String key = keys.mesh(frame, format);
                String comment = "job " + keys.jobId() + " frame " + frame + " sigma threshold " + options.threshold();
                byte[] bytes = format == MeshFormat.PLY ? PlyWriter.write(mesh, comment)
                        : GlbWriter.write(mesh, GENERATOR);
                uploader.upload(key, bytes, format.contentType());
                written.put(format.wireName(), key);
            }
            meshes.add(new Mesh(frame, track.time(plan, frame), mesh.vertexCount(), mesh.triangleCount(), mesh.area(),
                    mesh.volume(), mesh.unmatchedEdges() == 0, written));
        }
        return new Written(n, options.threshold(), boxHalf, meshes, Duration.ofNanos(System.nanoTime() - started));
    }

    /** The planes {@code [1, 3, C, R, R]} of one frame, as the renderer makes them. */
    FloatTensor planes(ClipTrack track, CameraPlan plan, int frame) {
        FloatTensor ws = track.isMapped()
                ? graphs.mapping(FloatTensor.of(track.z().clone(), 1, track.z().length),
                        plan.conditioning(frame, frame + 1), track.truncationPsi())
                : track.givenWs(numWs);
        return graphs.synthesis(ws, FloatTensor.of(track.zMotion().clone(), 1, track.zMotion().length),
                FloatTensor.of(new float[] {track.time(plan, frame)}, 1));
    }

    /**
     * Raw sigma at the samples of {@link ScalarGrid#cubePoints(int, double)} ({@code n³}, x fastest), chunk by chunk:
     * the points of one chunk are made as it is sent, so memory holds the sigma grid and one chunk.
     */
    private float[] sigma(FloatTensor planes, int n) {
        int count = n * n * n;
        double step = 2 * boxHalf / (n - 1);
        float[] sigma = new float[count];
        for (int first = 0; first < count; first += CHUNK_POINTS) {
            int size = Math.min(CHUNK_POINTS, count - first);
            float[] points = new float[size * 3];
            for (int p = 0; p < size; p++) {
                int index = first + p;
                points[3 * p] = (float) (-boxHalf + (index % n) * step);
                points[3 * p + 1] = (float) (-boxHalf + (index / n % n) * step);
                points[3 * p + 2] = (float) (-boxHalf + (index / (n * n)) * step);
            }
            FloatTensor chunk = FloatTensor.of(points, 1, size, 3);
            float[] out = density.density(planes, chunk).data();
            if (out.length != size) {
                throw new IllegalStateException("the density graph returned " + out.length + " values for " + size
                        + " points");
            }
            System.arraycopy(out, 0, sigma, first, size);
        }
        for (int i = 0; i < count; i++) {
            if (Float.isNaN(sigma[i])) {
                throw new IllegalStateException("the density graph returned NaN at point " + i);
            }
        }
        return sigma;
    }
}
