package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.List;
import org.pv3dfarm.protocol.FacePolicy;

/**
 * The seam between the inversion jobs and input decoding + face preparation: a downloaded upload → the face(s) to
 * fit, each aligned and cropped at the model's resolution with its estimated camera ({@link PreparedFace}).
 *
 * <p>Contract: a file that is not a decodable image or video (corrupt, truncated, unsupported, over the limits),
 * no face, or several under {@link FacePolicy#SINGLE}, throws {@link InvalidJobException} naming {@code field}
 * with the reason. Implementations are thread-safe.
 */
public interface FaceInputs {

    /** An image's face. */
    PreparedFace portrait(Path image, FacePolicy faces, String field) throws InvalidJobException;

    /** Up to {@code maxFrames} frames sampled evenly over a video, each with its face (tracking may smooth them). */
    List<PreparedFace> video(Path video, int maxFrames, FacePolicy faces, String field) throws InvalidJobException;
}
