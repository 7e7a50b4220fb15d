package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.RetargetRequest;

/**
 * Runs retarget jobs: the motion of {@code motion_source_job_id}'s stored latents (its z_motion, and its fitted t
 * replayed when it was a reconstruct job) or the given {@code z_motion}, edited by {@code motion_edit}, on the
 * identity of {@code source_job_id}'s stored w or of the upload {@code input_key} (an image, or a video's first
 * frame) inverted first ({@link InversionJobs#identity}).
 */
public final class RetargetJobHandler implements JobHandler {

    private final InversionJobs jobs;

    public RetargetJobHandler(InversionJobs jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        RetargetRequest request = jobs.request(context, RetargetRequest.class, JobKind.RETARGET);
        CameraPlan plan = jobs.cameras().plan(request);
        float[] zMotion;
        float[] fitted = null;
        String motionLabel;
        if (request.motionSourceJobId() != null) {
            StoredLatents source = jobs.inputs().latents(request.tenant(), request.motionSourceJobId(),
                    "motion_source_job_id");
            zMotion = source.zMotion();
            fitted = source.t();
            motionLabel = "job:" + request.motionSourceJobId();
        } else if (request.zMotion() != null) {
            zMotion = MotionEdits.code(request.zMotion(), jobs.manifest().config().motionDim(), "z_motion");
            motionLabel = "request";
        } else {
            throw new InvalidJobException("motion_source_job_id", "is required (or give z_motion)");
        }
        float[] times = InversionJobs.replay(fitted, plan.frames());
        MotionEdits.Motion motion = MotionEdits.apply(request.motionEdit(), zMotion,
                times != null ? times : plan.times().clone(), "motion_edit");
        Path dir = jobs.inputDir(request);
        try {
            InversionJobs.Identity identity = jobs.identity(request, request.inputKey(), "input_key",
                    request.sourceJobId(), "source_job_id", request.faces(), request.inversion(), true, dir, context);
            List<JobManifest.Track> info = List.of(new JobManifest.Track(0,
                    AnimateJobHandler.outputViews(0, plan.views().size()), identity.label(), motionLabel,
                    motion.zMotion()));
            return jobs.writer().write(context, new ClipWriter.Clip(request,
                    List.of(ClipTrack.ofW(identity.w(), motion.zMotion(), motion.times())), plan, null, info,
                    identity.inversion(), identity.artifacts(), null, identity.camera()));
        } finally {
            InversionJobs.deleteInputs(dir);
        }
    }
}
