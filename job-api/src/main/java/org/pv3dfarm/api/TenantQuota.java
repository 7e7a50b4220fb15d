package org.pv3dfarm.api;

/**
 * A tenant's limits.
 *
 * @param maxActiveJobs   jobs queued or running at once; a submission beyond it gets 429
 * @param maxFramesPerJob frames x views of one job
 */
public record TenantQuota(int maxActiveJobs, int maxFramesPerJob) {

    public TenantQuota {
        if (maxActiveJobs < 1 || maxFramesPerJob < 1) {
            throw new IllegalArgumentException("quotas must be at least 1, were " + maxActiveJobs + " active jobs and "
                    + maxFramesPerJob + " frames per job");
        }
    }

    static TenantQuota of(ApiConfig.Quota quota) {
        return new TenantQuota(quota.maxActiveJobs(), quota.maxFramesPerJob());
    }
}
