package org.pv3dfarm.worker.face;

import java.util.List;
import org.pv3dfarm.worker.RgbImage;

/**
 * Finds faces in an RGB image. Implementations are thread-safe; close releases native resources (once every
 * call has returned).
 */
public interface FaceDetector extends AutoCloseable {

    /**
     * The faces in {@code image}, most confident first, in the image's pixels; empty when there is none.
     *
     * @throws InvalidImageException when the image cannot be searched (e.g. too small)
     */
    List<Detection> detect(RgbImage image);

    @Override
    void close();
}
