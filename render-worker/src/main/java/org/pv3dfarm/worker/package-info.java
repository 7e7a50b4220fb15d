/**
 * The render worker, one type per stage:
 * <ul>
 *   <li>{@link org.pv3dfarm.worker.JobConsumerLoop}: Kafka consumption, validation, dead letters, commits after
 *       outputs and the completed event; the model pipeline plugs in as a {@link org.pv3dfarm.worker.JobHandler};</li>
 *   <li>{@link org.pv3dfarm.worker.RgbImage}: model output (float CHW in [-1, 1]) or packed bytes to 8-bit RGB;</li>
 *   <li>{@link org.pv3dfarm.worker.Mp4Encoder}: H.264 MP4 through JavaCV, verified by
 *       {@link org.pv3dfarm.worker.Mp4Info};</li>
 *   <li>{@link org.pv3dfarm.worker.PngWriter}: 8-bit RGB frames and 16-bit depth maps with their
 *       {@link org.pv3dfarm.worker.DepthScale};</li>
 *   <li>{@link org.pv3dfarm.worker.ObjectUploader}: uploads under {@link org.pv3dfarm.worker.OutputKeyLayout} keys,
 *       with retries ({@link org.pv3dfarm.worker.MinioObjectUploader}) or in memory for tests
 *       ({@link org.pv3dfarm.worker.InMemoryObjectUploader});</li>
 *   <li>{@link org.pv3dfarm.worker.EventPublisher}: protocol events and dead letters, acknowledged.</li>
 * </ul>
 */
package org.pv3dfarm.worker;
