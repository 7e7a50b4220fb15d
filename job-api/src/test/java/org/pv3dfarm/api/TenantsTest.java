package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantsTest {

    private static final TenantQuota QUOTA = new TenantQuota(10, 100);
    private static final Caller ACME = new Caller("acme", QUOTA);
    private static final Caller ANONYMOUS = new Caller("default", QUOTA);

    @Test
    void keysResolveToTheirTenantByHeaderOrBearer() {
        Tenants tenants = new Tenants(Map.of("acme-key-0123456789", ACME), ANONYMOUS);
        assertEquals(ACME, tenants.resolve("acme-key-0123456789", null));
        assertEquals(ACME, tenants.resolve(null, "Bearer acme-key-0123456789"));
        assertEquals(ACME, tenants.resolve(null, "bearer  acme-key-0123456789 "));
        assertEquals(ANONYMOUS, tenants.resolve(null, null));
        assertEquals(ANONYMOUS, tenants.resolve(" ", "Basic abc"));
        assertEquals(ProblemType.UNAUTHORIZED,
                assertThrows(ProblemException.class, () -> tenants.resolve("acme-key-012345678", null)).type());
    }

    @Test
    void withoutAnonymousAccessAKeyIsRequired() {
        Tenants tenants = new Tenants(Map.of("acme-key-0123456789", ACME), null);
        assertEquals(ProblemType.UNAUTHORIZED,
                assertThrows(ProblemException.class, () -> tenants.resolve(null, null)).type());
    }

    @Test
    void shortKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Tenants(Map.of("short", ACME), null));
    }

    @Test
    void theDefaultTenantIsNullOnTheWireAndOwnsOnlyItsJobs() {
        assertNull(ANONYMOUS.wireTenant());
        assertTrue(ANONYMOUS.owns(null));
        assertTrue(ANONYMOUS.owns("default"));
        assertFalse(ANONYMOUS.owns("acme"));
        assertEquals("acme", ACME.wireTenant());
        assertTrue(ACME.owns("acme"));
        assertFalse(ACME.owns(null));
    }
}
