package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.pv3dfarm.model.GaussianLatent;
import org.pv3dfarm.protocol.AnimateRequest;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;

/**
 * Runs animate jobs: the identity ({@link InversionJobs#identity}: the uploaded portrait inverted, or an earlier
 * job's stored w), the motions (given, or drawn from the seed: {@code root = SplittableRandom(seed)}, the first
 * split skipped as generate's z draw, motion m from split m + 2, so motion 0 is what a generate job with that seed
 * draws), then one track per motion through the {@link ClipWriter}: motion m's view v is output view
 * {@code m·V + v}. Writes the inversion render and target crop and the fit's figures in the manifest.
 */
public final class AnimateJobHandler implements JobHandler {

    private final InversionJobs jobs;

    public AnimateJobHandler(InversionJobs jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        AnimateRequest request = jobs.request(context, AnimateRequest.class, JobKind.ANIMATE);
        CameraPlan plan = jobs.cameras().plan(request);
        List<float[]> motions = motions(request);
        Path dir = jobs.inputDir(request);
        try {
            InversionJobs.Identity identity = jobs.identity(request, request.inputKey(), "input_key",
                    request.sourceJobId(), "source_job_id", request.faces(), request.inversion(), false, dir, context);
            List<ClipTrack> tracks = new ArrayList<>(motions.size());
            List<JobManifest.Track> info = new ArrayList<>(motions.size());
            int views = plan.views().size();
            for (int m = 0; m < motions.size(); m++) {
                tracks.add(ClipTrack.ofW(identity.w(), motions.get(m), null));
                info.add(new JobManifest.Track(m, outputViews(m, views), identity.label(),
                        request.drawsMotions() ? "seed" : "request", motions.get(m)));
            }
            return jobs.writer().write(context, new ClipWriter.Clip(request, tracks, plan, null, info,
                    identity.inversion(), identity.artifacts(), null, identity.camera()));
        } finally {
            InversionJobs.deleteInputs(dir);
        }
    }

    private List<float[]> motions(AnimateRequest request) throws InvalidJobException {
        int dim = jobs.manifest().config().motionDim();
        List<float[]> motions = new ArrayList<>();
        if (!request.drawsMotions()) {
            for (int m = 0; m < request.zMotions().size(); m++) {
                motions.add(MotionEdits.code(request.zMotions().get(m), dim, "z_motions[" + m + "]"));
            }
            return motions;
        }
        if (request.seed() == null) {
            throw new InvalidJobException("seed", "is required when z_motions is not given");
        }
        GaussianLatent distribution = jobs.manifest().latentDistribution().zMotion();
        SplittableRandom root = new SplittableRandom(request.seed());
        root.split(); // generate's z draw: motion 0 is the seed's generate motion
        for (int m = 0; m < request.motions(); m++) {
            motions.add(distribution.sample(root.split(), 1).data());
        }
        return motions;
    }

    /** Output views of track k among V planned views. */
    static List<Integer> outputViews(int track, int views) {
        List<Integer> indices = new ArrayList<>(views);
        for (int v = 0; v < views; v++) {
            indices.add(track * views + v);
        }
        return indices;
    }
}
