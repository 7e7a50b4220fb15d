/**
 * The render worker, one type per stage.
 *
 * <p>The process and its wiring:
 * <ul>
 *   <li>{@link org.pv3dfarm.worker.RenderWorkerMain}: {@code java -jar pv3d-render-worker.jar}, configured by
 *       {@link org.pv3dfarm.worker.WorkerConfig} (environment variables and system properties), SIGTERM → graceful
 *       stop;</li>
 *   <li>{@link org.pv3dfarm.worker.RenderWorker}: model + uploader + publisher + one consumer loop per job in
 *       flight, also started in-process by the embedded farm;</li>
 *   <li>{@link org.pv3dfarm.worker.JobConsumerLoop}: Kafka consumption, validation, dead letters, commits after
 *       outputs and the completed event; the model pipeline plugs in as a {@link org.pv3dfarm.worker.JobHandler}.</li>
 * </ul>
 *
 * <p>A generate job ({@link org.pv3dfarm.worker.GenerateJobHandler}):
 * <ol>
 *   <li>{@link org.pv3dfarm.worker.LatentSampler}: the codes, from the seed or the request →
 *       {@link org.pv3dfarm.worker.JobLatents};</li>
 *   <li>{@link org.pv3dfarm.worker.CameraPlanner}: every view's camera per frame, the conditioning camera and the
 *       frame times → {@link org.pv3dfarm.worker.CameraPlan} of {@link org.pv3dfarm.worker.ViewPlan}s;</li>
 *   <li>{@link org.pv3dfarm.worker.FrameRenderer}: the model through {@link org.pv3dfarm.worker.GeneratorGraphs},
 *       batch by batch, each frame's planes synthesised once and reused for every view →
 *       {@link org.pv3dfarm.worker.RenderedBatch}es;</li>
 *   <li>{@link org.pv3dfarm.worker.JobOutputs}: MP4 per view streamed, PNG frames and depth maps when asked for,
 *       {@link org.pv3dfarm.worker.JobManifest} last.</li>
 * </ol>
 *
 * <p>Throughput: the jobs in flight meet in one {@link org.pv3dfarm.worker.BatchingGeneratorGraphs}, whose
 * {@link org.pv3dfarm.worker.DynamicBatcher}s (policy: {@link org.pv3dfarm.worker.BatchingPolicy}) run synthesis
 * over (job, frame) items and render and super-resolution over (job, frame, view) items, padded to a few bucket
 * shapes; each job hands its rendered batches to a bounded {@link org.pv3dfarm.worker.PipelinedSink}, so encoding
 * and uploads overlap the next batch's inference.
 *
 * <p>Building blocks:
 * <ul>
 *   <li>{@link org.pv3dfarm.worker.RgbImage}: model output (float CHW in [-1, 1]) or packed bytes to 8-bit RGB;</li>
 *   <li>{@link org.pv3dfarm.worker.Mp4Encoder}: H.264 MP4 through JavaCV, verified by
 *       {@link org.pv3dfarm.worker.Mp4Info};</li>
 *   <li>{@link org.pv3dfarm.worker.PngWriter}: 8-bit RGB frames and 16-bit depth maps with their
 *       {@link org.pv3dfarm.worker.DepthScale};</li>
 *   <li>{@link org.pv3dfarm.worker.ObjectUploader}: uploads under {@link org.pv3dfarm.worker.OutputKeyLayout} keys,
 *       with retries ({@link org.pv3dfarm.worker.MinioObjectUploader}) or in memory for tests
 *       ({@link org.pv3dfarm.worker.InMemoryObjectUploader});</li>
 *   <li>{@link org.pv3dfarm.worker.EventPublisher}: protocol events and dead letters, acknowledged;</li>
 *   <li>{@link org.pv3dfarm.worker.face}: face detection (MediaPipe BlazeFace) for the inversion jobs.</li>
 * </ul>
 */
package org.pv3dfarm.worker;
