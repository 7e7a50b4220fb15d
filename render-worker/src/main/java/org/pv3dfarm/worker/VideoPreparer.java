package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.List;
import org.pv3dfarm.protocol.FacePolicy;

/**
 * Video file → up to {@code maxFrames} faces sampled evenly over it, each aligned and cropped with its camera
 * (the tracking may smooth crops and cameras over time). Same failure contract as {@link PortraitPreparer}: a
 * corrupt, truncated or unsupported file, or frames without the face, fail the job with the reason.
 */
@FunctionalInterface
public interface VideoPreparer {

    List<PreparedFace> prepare(Path video, int maxFrames, FacePolicy faces, String field) throws InvalidJobException;
}
