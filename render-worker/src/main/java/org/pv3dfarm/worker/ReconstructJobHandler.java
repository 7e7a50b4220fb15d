package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;
import org.pv3dfarm.protocol.ReconstructRequest;

/**
 * Runs reconstruct jobs: the uploaded video → {@code fit_frames} prepared faces ({@link FaceInputs#video}) → w,
 * z_motion and per-frame t ({@link VideoReconstruction}, windows of the graph's frame count) → the motion edit,
 * if any ({@link MotionEdits}) → re-rendered from the requested views, output frame i at the fitted time of frame
 * {@code i mod fit_frames} ({@code source} views replay that frame's estimated camera too). Writes the first fitted frame's target crop and render, the fit's figures, and
 * {@code latents.json} with the fitted t and the first frame's camera.
 */
public final class ReconstructJobHandler implements JobHandler {

    private final InversionJobs jobs;
    private final PngWriter png = new PngWriter();

    public ReconstructJobHandler(InversionJobs jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        ReconstructRequest request = jobs.request(context, ReconstructRequest.class, JobKind.RECONSTRUCT);
        // Views are checked before the download and the fit; source views then get the fitted frames' cameras.
        jobs.cameras().plan(request, List.of(Cameras.canonical(jobs.manifest())));
        Path dir = jobs.inputDir(request);
        try {
            Path video = jobs.inputs().download(request.tenant(), request.inputKey(), "input_key", dir);
            List<PreparedFace> faces = jobs.faces().video(video, request.fitFrames(), request.faces(), "input_key");
            VideoReconstruction.Result fit = jobs.reconstruction().fit(faces, request.inversion(),
                    context.stopRequested(), context.progress());
            if (fit.stopReason().equals(VideoReconstruction.STOPPED)) {
                throw new JobStoppedException("job " + request.jobId() + " stopped after " + fit.steps()
                        + " fitting steps: the worker is shutting down or the job was cancelled");
            }
            CameraPlan plan = jobs.cameras().plan(request, faces.stream().map(PreparedFace::camera).toList());
            MotionEdits.Motion motion = MotionEdits.apply(request.motionEdit(), fit.zMotion(),
                    InversionJobs.replay(fit.t(), plan.frames()), "motion_edit");
            ClipTrack track = ClipTrack.ofW(fit.w(), motion.zMotion(), motion.times());

            PreparedFace first = faces.get(0);
            OutputKeyLayout layout = context.keys();
            List<ClipWriter.Artifact> artifacts = List.of(
                    new ClipWriter.Artifact(InversionJobs.RENDER_NAME, png.rgb(jobs.render(fit.w(), fit.zMotion(),
                            fit.t()[0], first.camera())), PngWriter.CONTENT_TYPE),
                    new ClipWriter.Artifact(InversionJobs.TARGET_NAME, png.rgb(first.image()),
                            PngWriter.CONTENT_TYPE));
            JobManifest.Inversion section = new JobManifest.Inversion(request.inputKey(), faces.size(), fit.steps(),
                    fit.stopReason().toLowerCase(Locale.ROOT), fit.initialLoss(), fit.loss(), fit.psnrDb(),
                    layout.key(InversionJobs.RENDER_NAME), layout.key(InversionJobs.TARGET_NAME), first.camera(),
                    fit.time().toMillis());
            List<JobManifest.Track> info = List.of(new JobManifest.Track(0,
                    AnimateJobHandler.outputViews(0, plan.views().size()), "reconstruction",
                    request.motionEdit() == null ? "reconstruction" : "reconstruction, edited", motion.zMotion()));
            return jobs.writer().write(context, new ClipWriter.Clip(request, List.of(track), plan, null, info,
                    section, artifacts, fit.t(), first.camera()));
        } finally {
            InversionJobs.deleteInputs(dir);
        }
    }
}
