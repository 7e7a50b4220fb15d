package org.pv3dfarm.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class JobRequestsTest {

    @Test
    void withTenantChangesOnlyTheTenantOfEveryKind() {
        for (JobRequest request : new JobRequest[] {Samples.fullGenerate(), Samples.animate(),
                Samples.reconstruct()}) {
            JobRequest owned = JobRequests.withTenant(request, "acme");
            assertEquals("acme", owned.tenant());
            assertEquals(request.kind(), owned.kind());
            assertEquals(JobRequests.withTenant(owned, request.tenant()), request, "only the tenant differs");
            assertSame(owned, JobRequests.withTenant(owned, "acme"));
            assertNull(JobRequests.withTenant(owned, null).tenant());
        }
    }
}
