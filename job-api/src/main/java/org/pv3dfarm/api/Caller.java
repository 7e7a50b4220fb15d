package org.pv3dfarm.api;

import org.pv3dfarm.protocol.JobIds;

import java.util.Objects;

/**
 * Who is calling, resolved from the API key: the tenant every job, listing and cancel of the request is scoped to.
 *
 * @param tenant the tenant name; {@link JobIds#DEFAULT_TENANT} for anonymous callers
 * @param quota  the tenant's limits
 */
public record Caller(String tenant, TenantQuota quota) {

    public Caller {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(quota, "quota");
    }

    /** The tenant as written into requests and events: {@code null} for the default tenant (the wire default). */
    public String wireTenant() {
        return isDefault() ? null : tenant;
    }

    public boolean isDefault() {
        return tenant.equals(JobIds.DEFAULT_TENANT);
    }

    /** Whether a job or event of {@code tenant} (as on the wire, {@code null} = default) belongs to this caller. */
    public boolean owns(String jobTenant) {
        return tenant.equals(jobTenant == null ? JobIds.DEFAULT_TENANT : jobTenant);
    }
}
