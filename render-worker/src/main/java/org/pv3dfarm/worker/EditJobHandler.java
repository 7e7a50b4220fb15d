package org.pv3dfarm.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.pv3dfarm.protocol.EditRequest;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;

/**
 * Runs edit jobs: one motion over many appearances. Appearances in order: each {@code source_job_ids} entry's
 * stored w, then each seed's identity as a generate job with that seed and {@code truncation_psi} draws and maps
 * it ({@link LatentSampler}). Motion: {@code z_motion}, else {@code motion_source_job_id}'s (with its fitted t),
 * else the first appearance's own (stored, or the seed's drawn motion); then {@code motion_edit}. Appearance a's
 * view v is output view {@code a·V + v}.
 */
public final class EditJobHandler implements JobHandler {

    private final InversionJobs jobs;
    private final LatentSampler sampler;

    public EditJobHandler(InversionJobs jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.sampler = new LatentSampler(jobs.manifest());
    }

    /** An appearance before the motion is chosen: its track minus motion, its own motion and times. */
    private record Appearance(float[] z, float[] w, String label, float[] zMotion, float[] times) {
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        EditRequest request = jobs.request(context, EditRequest.class, JobKind.EDIT);
        CameraPlan plan = jobs.cameras().plan(request);
        List<Appearance> appearances = new ArrayList<>();
        for (int i = 0; i < request.sourceJobIds().size(); i++) {
            UUID source = request.sourceJobIds().get(i);
            StoredLatents stored = jobs.inputs().latents(request.tenant(), source, "source_job_ids[" + i + "]");
            appearances.add(new Appearance(null, stored.w(), "job:" + source, stored.zMotion(), stored.t()));
        }
        for (Long seed : request.seeds()) {
            JobLatents drawn = sampler.sample(GenerateRequest.builder().seed(seed)
                    .truncationPsi(request.truncationPsi()).build());
            appearances.add(new Appearance(drawn.z(), null, "seed:" + seed, drawn.zMotion(), null));
        }
        if (appearances.isEmpty()) {
            throw new InvalidJobException("source_job_ids", "source_job_ids and seeds name no appearance");
        }
        float[] zMotion;
        float[] fitted;
        String motionLabel;
        if (request.zMotion() != null) {
            zMotion = MotionEdits.code(request.zMotion(), jobs.manifest().config().motionDim(), "z_motion");
            fitted = null;
            motionLabel = "request";
        } else if (request.motionSourceJobId() != null) {
            StoredLatents source = jobs.inputs().latents(request.tenant(), request.motionSourceJobId(),
                    "motion_source_job_id");
            zMotion = source.zMotion();
            fitted = source.t();
            motionLabel = "job:" + request.motionSourceJobId();
        } else {
            zMotion = appearances.get(0).zMotion();
            fitted = appearances.get(0).times();
            motionLabel = appearances.get(0).label();
        }
        float[] times = InversionJobs.replay(fitted, plan.frames());
        MotionEdits.Motion motion = MotionEdits.apply(request.motionEdit(), zMotion,
                times != null ? times : plan.times().clone(), "motion_edit");
        List<ClipTrack> tracks = new ArrayList<>(appearances.size());
        List<JobManifest.Track> info = new ArrayList<>(appearances.size());
        for (int a = 0; a < appearances.size(); a++) {
            Appearance appearance = appearances.get(a);
            tracks.add(appearance.w() != null ? ClipTrack.ofW(appearance.w(), motion.zMotion(), motion.times())
                    : new ClipTrack(appearance.z(), null, request.truncationPsi().floatValue(), motion.zMotion(),
                            motion.times()));
            info.add(new JobManifest.Track(a, AnimateJobHandler.outputViews(a, plan.views().size()),
                    appearance.label(), motionLabel, motion.zMotion()));
        }
        return jobs.writer().write(context, new ClipWriter.Clip(request, tracks, plan, null, info, null, null,
                null, null));
    }
}
