package org.pv3dfarm.protocol.client;

import org.pv3dfarm.protocol.JobAccepted;
import org.pv3dfarm.protocol.JobRequest;

import java.util.UUID;

/**
 * A request that the broker acknowledged.
 *
 * @param jobId     the job's id
 * @param request   the request as queued (job id and seed assigned)
 * @param topic     where it went
 * @param partition its partition
 * @param offset    its offset
 * @param accepted  the {@code accepted} event written for it (whether or not that write succeeded: a reader
 *                  that wants read-your-writes can apply it locally)
 */
public record SubmittedJob(UUID jobId, JobRequest request, String topic, int partition, long offset,
                           JobAccepted accepted) {
}
