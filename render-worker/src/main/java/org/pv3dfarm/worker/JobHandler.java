package org.pv3dfarm.worker;

import org.pv3dfarm.protocol.OutputKeys;

/**
 * Runs one job: renders, encodes, uploads every output (the manifest last) and says where they are. This is where
 * the model pipeline plugs into the {@link JobConsumerLoop}.
 *
 * <p>Contract: return only when every output is confirmed by the object store. Throw
 * {@link RetryableJobException} (e.g. an {@link UploadException}) for a failure that may pass, which the loop
 * retries; any other exception fails the job for good (dead letter + failed event). Outputs must go under
 * {@link JobContext#keys()} so that running the same job again overwrites them. Called from one thread at a
 * time; it may run for a long time (the loop keeps the group membership meanwhile).
 */
@FunctionalInterface
public interface JobHandler {

    OutputKeys handle(JobContext context) throws Exception;
}
