/**
 * Input files of the inversion jobs, decoded (the job handler downloads the object first).
 *
 * <p>{@link org.pv3dfarm.worker.media.MediaDecoder} reads PNG, JPEG and WebP images and MP4, MOV and WebM videos into
 * {@link org.pv3dfarm.worker.RgbImage}s ({@link org.pv3dfarm.worker.media.DecodedMedia}) with FFmpeg through JavaCV,
 * within {@link org.pv3dfarm.worker.media.MediaLimits} (bytes, picture size, duration, frames, wall-clock time); the
 * type comes from the magic bytes ({@link org.pv3dfarm.worker.media.MediaSniffer},
 * {@link org.pv3dfarm.worker.media.MediaType}), never from a name. A file that cannot be used raises
 * {@link org.pv3dfarm.worker.media.MediaException} with a {@link org.pv3dfarm.worker.media.MediaException.Reason}
 * and a message for the failed job.
 */
package org.pv3dfarm.worker.media;
