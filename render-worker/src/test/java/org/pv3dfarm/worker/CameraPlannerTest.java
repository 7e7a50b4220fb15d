package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.CameraConvention;
import org.pv3dfarm.model.Cameras;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.model.Trajectories;
import org.pv3dfarm.model.ViewAngle;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.ReconstructRequest;
import org.pv3dfarm.protocol.Trajectory;
import org.pv3dfarm.protocol.ViewSpec;

class CameraPlannerTest {

    private static final double FRONTAL = Math.PI / 2;
    private static ModelManifest manifest;
    private static CameraConvention convention;
    private static CameraPlanner planner;

    @BeforeAll
    static void load() {
        manifest = ModelLocator.loadDefault();
        convention = manifest.conventions().camera();
        planner = new CameraPlanner(manifest);
    }

    private static CameraPlan plan(int frames, ViewSpec... views) throws InvalidJobException {
        return planner.plan(GenerateRequest.builder().jobId(UUID.randomUUID()).seed(1L).frames(frames).views(views)
                .build());
    }

    private static float[] lookAt(double yaw, double pitch) {
        return Cameras.lookAt(new ViewAngle(yaw, pitch), convention);
    }

    @Test
    void theDefaultOrbitIsTheManifestsWithTheCanonicalConditioningCamera() throws Exception {
        CameraPlan plan = plan(12, ViewSpec.orbit());

        List<ViewAngle> expected = Trajectories.named(manifest, "orbit", 12);
        ViewPlan view = plan.views().get(0);
        for (int frame = 0; frame < 12; frame++) {
            assertArrayEquals(Cameras.lookAt(expected.get(frame), convention), view.camera(frame), "frame " + frame);
        }
        assertArrayEquals(convention.canonical(), plan.conditioning(), "conditioned on the canonical camera");
        ViewPlan.Summary summary = view.summary();
        assertEquals("orbit", summary.trajectory());
        assertEquals(0.35, summary.yawAmplitude(), 1e-12);
        assertEquals(0.25, summary.pitchAmplitude(), 1e-12);
        assertEquals(FRONTAL - 0.05, summary.pitchCenter(), 1e-12);
    }

    @Test
    void anOrbitsAmplitudeScalesBothAxesAndItsAnglesMoveTheCentre() throws Exception {
        ViewSpec spec = new ViewSpec(Trajectory.ORBIT, 1.2, 1.4, 0.7, null);
        ViewPlan view = plan(8, spec).views().get(0);

        assertEquals(0.7, view.summary().yawAmplitude(), 1e-12);
        assertEquals(0.5, view.summary().pitchAmplitude(), 1e-12, "0.25 * 0.7 / 0.35: same ellipse, bigger");
        // frame 2 of 8: sin = 1, cos = 0 -> (centre yaw + 0.7, centre pitch)
        assertArrayEquals(lookAt(1.2 + 0.7, 1.4), view.camera(2), 1e-6f);
        assertArrayEquals(lookAt(1.2, 1.4 + 0.5), view.camera(0), 1e-6f);
    }

    @Test
    void sweepsFollowTheModelsSweepAroundTheRequestedCentre() throws Exception {
        CameraPlan plan = plan(8, ViewSpec.yawSweep(), ViewSpec.pitchSweep(),
                new ViewSpec(Trajectory.YAW_SWEEP, 1.3, 1.5, 0.2, null));

        List<ViewAngle> yaw = Trajectories.yawSweep(8, 0.5);
        List<ViewAngle> pitch = Trajectories.pitchSweep(8, 0.25);
        for (int frame = 0; frame < 8; frame++) {
            assertArrayEquals(Cameras.lookAt(yaw.get(frame), convention), plan.views().get(0).camera(frame));
            assertArrayEquals(Cameras.lookAt(pitch.get(frame), convention), plan.views().get(1).camera(frame));
        }
        assertArrayEquals(lookAt(1.3 + 0.2, 1.5), plan.views().get(2).camera(2), 1e-6f);
        assertArrayEquals(lookAt(1.3, 1.5), plan.views().get(2).camera(0), 1e-6f);
        assertEquals(0.25, plan.views().get(1).summary().pitchAmplitude(), 1e-12);
        assertNull(plan.views().get(1).summary().yawAmplitude());
    }

    @Test
    void fixedAndExplicitViewsHoldTheirCameras() throws Exception {
        float[] a = lookAt(1.0, 1.6);
        float[] b = lookAt(2.0, 1.5);
        List<float[]> perFrame = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            perFrame.add(i % 2 == 0 ? a : b);
        }
        CameraPlan plan = plan(3, ViewSpec.fixed(1.0, 1.6), ViewSpec.explicit(List.of(b)), ViewSpec.explicit(perFrame));

        for (int frame = 0; frame < 3; frame++) {
            assertArrayEquals(a, plan.views().get(0).camera(frame));
            assertArrayEquals(b, plan.views().get(1).camera(frame), "one explicit camera is held");
            assertArrayEquals(perFrame.get(frame), plan.views().get(2).camera(frame));
        }
        assertEquals(1, plan.views().get(1).summary().explicitCameras());
        assertEquals(3, plan.views().get(2).summary().explicitCameras());
        assertEquals(3, plan.views().get(0).cameras(0, 3).dim(0));
    }

    @Test
    void aSourceViewCyclesThroughTheFittedFramesCamerasAndNeedsThem() throws Exception {
        List<float[]> fitted = List.of(lookAt(1.4, 1.5), lookAt(1.6, 1.6), lookAt(1.7, 1.5));
        ViewSpec source = new ViewSpec(Trajectory.SOURCE, null, null, null, null);
        ReconstructRequest request = new ReconstructRequest(null, UUID.randomUUID(), null, null, null, null,
                "inputs/u/clip.mp4", null, null, 3, null, 7, null, List.of(ViewSpec.orbit(), source), null, null);

        CameraPlan plan = planner.plan(request, fitted);

        ViewPlan view = plan.views().get(1);
        for (int frame = 0; frame < 7; frame++) {
            assertArrayEquals(fitted.get(frame % 3), view.camera(frame), "frame " + frame + " replays fitted frame "
                    + frame % 3);
        }
        assertEquals("source", view.summary().trajectory());
        assertEquals(3, view.summary().explicitCameras());
        InvalidJobException noVideo = assertThrows(InvalidJobException.class, () -> planner.plan(request));
        assertEquals("views[1].trajectory", noVideo.field());
    }

    @Test
    void theProtocolsLargestSweepReachesThePoles() throws Exception {
        CameraPlan plan = plan(4, new ViewSpec(Trajectory.PITCH_SWEEP, null, null, Math.PI / 2, null));
        // frame 1 looks from straight below, frame 3 from straight above (LookAt clamps the pole itself)
        assertArrayEquals(lookAt(FRONTAL, Math.PI), plan.views().get(0).camera(1));
        assertArrayEquals(lookAt(FRONTAL, 0), plan.views().get(0).camera(3));
        assertEquals(-convention.radius(), plan.views().get(0).camera(1)[7], 1e-3, "below the head: y = -r");
    }

    @Test
    void motionsThatWouldPassOverAPoleAreInvalidJobs() {
        // the orbit's pitch amplitude scales with the requested amplitude: 0.25 * 1.5 / 0.35 = 1.07 around 0.3
        InvalidJobException orbit = assertThrows(InvalidJobException.class,
                () -> plan(4, ViewSpec.orbit(), new ViewSpec(Trajectory.ORBIT, null, 0.3, 1.5, null)));
        assertEquals("views[1]", orbit.field());
        assertTrue(orbit.getMessage().contains("pole"), orbit.getMessage());
        // the model's default pitch sweep (0.25) around a pitch of 0.1
        assertEquals("views[0]", assertThrows(InvalidJobException.class,
                () -> plan(4, new ViewSpec(Trajectory.PITCH_SWEEP, null, 0.1, null, null))).field());
    }

    @Test
    void cam2worldOnlyCamerasTakeTheModelsIntrinsics() throws Exception {
        float[] turned = lookAt(1.2, 1.4);
        List<Double> cam2world = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            cam2world.add((double) turned[k]);
        }
        CameraPlan plan = plan(2, new ViewSpec(Trajectory.EXPLICIT, null, null, null, List.of(cam2world)));
        assertArrayEquals(turned, plan.views().get(0).camera(1), "the model's focal and principal point");
    }

    @Test
    void oneViewCanConditionTheMappingFrameByFrame() throws Exception {
        CameraPlan canonical = plan(3, ViewSpec.orbit(), ViewSpec.yawSweep());
        assertFalse(canonical.conditionedPerFrame());
        assertArrayEquals(convention.canonical(), Arrays.copyOfRange(canonical.conditioning(1, 3).data(), 25, 50));

        CameraPlan perFrame = plan(3, ViewSpec.orbit(), ViewSpec.yawSweep().conditioningPerFrame());
        assertEquals(1, perFrame.conditioningView());
        assertArrayEquals(perFrame.views().get(1).cameras(1, 3).data(), perFrame.conditioning(1, 3).data());
        assertEquals("views[1].conditioning", assertThrows(InvalidJobException.class,
                () -> plan(3, ViewSpec.orbit().conditioningPerFrame(), ViewSpec.yawSweep().conditioningPerFrame()))
                .field());
    }

    @Test
    void timeRunsOverTheModelsClipAndCyclesPastIt() throws Exception {
        int clip = manifest.conventions().time().clipFrames();
        CameraPlan plan = plan(clip + 3, ViewSpec.orbit());

        assertEquals(clip, plan.clipFrames());
        assertEquals(0f, plan.times()[0]);
        assertEquals(1f, plan.times()[clip - 1], "the last frame of a clip is t = 1");
        assertEquals(1f / (clip - 1), plan.times()[1], 1e-7f);
        assertEquals(plan.times()[1], plan.times()[clip + 1], "frame clip+1 takes frame 1's time");
        assertArrayEquals(new float[] {plan.times()[2], plan.times()[3]}, plan.times(2, 4).data());
    }

    @Test
    void viewsTheModelCannotDrawAreInvalidJobsNamingTheView() {
        InvalidJobException cameras = assertThrows(InvalidJobException.class,
                () -> plan(4, ViewSpec.explicit(List.of(lookAt(1, 1), lookAt(1, 1)))));
        assertEquals("views[0].cameras", cameras.field());
        List<Double> tooShort = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            tooShort.add(0.0);
        }
        assertEquals("views[0].cameras[0]", assertThrows(InvalidJobException.class,
                () -> plan(2, new ViewSpec(Trajectory.EXPLICIT, null, null, null, List.of(tooShort)))).field());
        assertEquals("views[0].pitch", assertThrows(InvalidJobException.class,
                () -> plan(2, new ViewSpec(Trajectory.FIXED, 1.0, null, null, null))).field());
    }

    @Test
    void differentViewsGetDifferentCameras() throws Exception {
        CameraPlan plan = plan(4, ViewSpec.orbit(), ViewSpec.yawSweep());
        assertFalse(Arrays.equals(plan.views().get(0).camera(0), plan.views().get(1).camera(0)));
        assertEquals(List.of(0, 1), plan.views().stream().map(ViewPlan::index).toList());
    }
}
