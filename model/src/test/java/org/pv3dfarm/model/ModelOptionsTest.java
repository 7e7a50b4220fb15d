package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelOptionsTest {

    @Test
    void defaults() {
        ModelOptions o = ModelOptions.defaults();
        assertEquals(ExecutionProvider.AUTO, o.executionProvider());
        assertEquals(0, o.intraOpThreads());
        assertTrue(o.memoryArena());
        assertEquals(GraphOptimization.ALL, o.optimization());
        assertFalse(o.eagerSessions());
    }

    @Test
    void builderRoundTrips() {
        ModelOptions o = ModelOptions.builder().executionProvider(ExecutionProvider.CUDA).cudaDeviceId(1)
                .intraOpThreads(2).interOpThreads(1).memoryArena(false).optimization(GraphOptimization.BASIC)
                .eagerSessions(true).build();
        assertEquals(o, o.toBuilder().build());
        assertEquals(2, o.intraOpThreads());
        assertEquals(ExecutionProvider.CPU, o.toBuilder().executionProvider(ExecutionProvider.CPU).build().executionProvider());
    }

    @Test
    void invalidValuesAreNamed() {
        assertMessage("intraOpThreads", ModelOptions.builder().intraOpThreads(-1));
        assertMessage("interOpThreads", ModelOptions.builder().interOpThreads(5000));
        assertMessage("cudaDeviceId", ModelOptions.builder().cudaDeviceId(-2));
        assertMessage("executionProvider", ModelOptions.builder().executionProvider(null));
        assertMessage("optimization", ModelOptions.builder().optimization(null));
    }

    private static void assertMessage(String field, ModelOptions.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
