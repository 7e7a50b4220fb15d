package org.pv3dfarm.worker.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.pv3dfarm.worker.RgbImage;

/**
 * The face_probe heads under test resources {@code heads/}: 128² renders with their true cameras and keypoints.
 * Made by {@code cd model/python && python3 -c "from pv3d import face_probe; face_probe.write_probe(OUT, 8, 128,
 * seed=3)"} (heads.json, head-000..007.png) plus frontal.png/frontal.json: identity 100 of seed 0 through
 * {@code heads.camera(0, 0)}, mouth and eyes closed-neutral (mouth 0, blink 0), written in the same format.
 */
record ProbeHeads(String file, double yawOffset, double pitchOffset, List<ImagePoint> keypoints) {

    static final String[] NAMES = {"right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion",
        "left_ear_tragion"};

    static List<ProbeHeads> views() {
        return read("heads/heads.json");
    }

    static ProbeHeads frontal() {
        return read("heads/frontal.json").get(0);
    }

    /** The true keypoints as a detection (box: their bounds; score 1). */
    Detection truth() {
        double l = Double.MAX_VALUE, t = Double.MAX_VALUE, r = -Double.MAX_VALUE, b = -Double.MAX_VALUE;
        for (ImagePoint p : keypoints) {
            l = Math.min(l, p.x());
            t = Math.min(t, p.y());
            r = Math.max(r, p.x());
            b = Math.max(b, p.y());
        }
        return new Detection(new FaceBox(l, t, r, b), 1, keypoints);
    }

    RgbImage image() {
        try (InputStream in = ProbeHeads.class.getResourceAsStream("heads/" + file)) {
            return TestImages.toRgb(ImageIO.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ProbeHeads> read(String resource) {
        try (InputStream in = ProbeHeads.class.getResourceAsStream(resource)) {
            List<ProbeHeads> heads = new ArrayList<>();
            for (JsonNode n : new ObjectMapper().readTree(in)) {
                List<ImagePoint> kp = new ArrayList<>();
                for (String name : NAMES) {
                    JsonNode p = n.get("keypoints").get(name);
                    kp.add(new ImagePoint(p.get(0).asDouble(), p.get(1).asDouble()));
                }
                heads.add(new ProbeHeads(n.get("file").asText(), n.get("yaw").asDouble(), n.get("pitch").asDouble(),
                        kp));
            }
            return heads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
