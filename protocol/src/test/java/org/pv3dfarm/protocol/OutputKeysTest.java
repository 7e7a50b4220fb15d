package org.pv3dfarm.protocol;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OutputKeysTest {

    @Test
    void inputPrefixesAreScopedByTenantAndNeverAJobPrefix() {
        assertEquals("inputs/", OutputKeys.inputPrefixFor(null));
        assertEquals("inputs/", OutputKeys.inputPrefixFor(JobIds.DEFAULT_TENANT));
        assertEquals("tenants/acme/inputs/", OutputKeys.inputPrefixFor("acme"));
        UUID job = UUID.randomUUID();
        assertFalse(OutputKeys.prefixFor("acme", job).startsWith(OutputKeys.inputPrefixFor("acme")));
        assertFalse(OutputKeys.prefixFor(null, job).startsWith(OutputKeys.inputPrefixFor(null)));
        assertFalse(OutputKeys.inputPrefixFor("acme").startsWith(OutputKeys.inputPrefixFor("acm")));
    }
}
