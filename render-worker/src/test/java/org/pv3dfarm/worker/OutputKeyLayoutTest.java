package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.MeshFormat;
import org.pv3dfarm.protocol.PreviewFormat;

class OutputKeyLayoutTest {

    private static final UUID JOB = UUID.fromString("6b0f7c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b");
    private final OutputKeyLayout layout = OutputKeyLayout.forJob(JOB);

    @Test
    void keysDependOnlyOnTheJobAndThePlaceOfTheOutput() {
        assertEquals(JOB + "/manifest.json", layout.manifest());
        assertEquals(JOB + "/video/view-01.mp4", layout.video(1));
        assertEquals(JOB + "/frames/view-00/frame-0015.png", layout.frame(0, 15));
        assertEquals(JOB + "/depth/view-02/frame-0003.png", OutputKeyLayout.forJob(JOB).depth(2, 3));
        assertEquals(JOB + "/grid/preview.webp", layout.key("grid/preview.webp"));
    }

    @Test
    void namesCannotLeaveTheJobsPrefix() {
        for (String bad : List.of("../other/manifest.json", "/abs", "a//b", "a/../b", ".hidden", "", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> layout.key(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> layout.video(-1));
    }

    @Test
    void theCompletionEventListsOneVideoPerView() {
        var keys = layout.outputKeys("outputs", 2, true, false);
        assertEquals(List.of(layout.video(0), layout.video(1)), keys.videoKeys());
        assertEquals(layout.manifest(), keys.manifestKey());
        assertEquals(JOB + "/frames/", keys.framesPrefix());
        assertNull(keys.depthPrefix());
    }

    @Test
    void extraOutputsHaveFixedKeysAndTheEventLetsReadersRebuildEveryFrameKey() {
        assertEquals(JOB + "/video/grid.mp4", layout.gridVideo());
        assertEquals(JOB + "/preview/thumbnail.png", layout.thumbnail());
        assertEquals(JOB + "/preview/preview.webp", layout.animation(PreviewFormat.WEBP));
        assertEquals(JOB + "/mesh/frame-0012.glb", layout.mesh(12, MeshFormat.GLB));
        assertThrows(IllegalArgumentException.class, () -> layout.mesh(-1, MeshFormat.PLY));

        var keys = layout.outputKeys("outputs", 3, 20, true, true, layout.gridVideo(), null, null,
                List.of(layout.mesh(0, MeshFormat.PLY)));
        assertEquals(20, keys.frameCount());
        assertEquals(layout.frame(2, 19), keys.frameKey(2, 19));
        assertEquals(layout.depth(1, 7), keys.depthKey(1, 7));
        assertEquals(layout.gridVideo(), keys.gridVideoKey());
        assertNull(keys.thumbnailKey());
        assertEquals(JOB + "/latents.json", keys.latentKey(), "every job stores its latents");
        assertTrue(keys.allUnder(JOB + "/"));
        assertNull(layout.outputKeys("outputs", 1, 20, false, false, null, null, null, List.of()).frameCount(),
                "no frame count without frames or depth; no mesh list without meshes");
        assertNull(layout.outputKeys("outputs", 1, 20, false, false, null, null, null, List.of()).meshKeys());
    }
}
