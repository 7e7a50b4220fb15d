package org.pv3dfarm.worker;

import java.nio.file.Path;
import org.pv3dfarm.protocol.FacePolicy;

/**
 * Image file → the face to invert: decode (with limits), detect, choose by the policy, align and crop at the
 * model's resolution, estimate the camera. The seam between the inversion jobs and face preprocessing.
 *
 * <p>Contract: a file that is not a decodable image, an image with no face, or with several under
 * {@link FacePolicy#SINGLE}, throws {@link InvalidJobException} naming {@code field} with the reason. Thread-safe.
 */
@FunctionalInterface
public interface PortraitPreparer {

    PreparedFace prepare(Path image, FacePolicy faces, String field) throws InvalidJobException;
}
