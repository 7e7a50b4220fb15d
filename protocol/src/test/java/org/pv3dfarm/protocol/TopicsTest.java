package org.pv3dfarm.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicsTest {

    @Test
    void highPriorityRequestsHaveTheirOwnTopicPerKind() {
        assertEquals(Topics.GENERATE, Topics.jobs(JobKind.GENERATE, Priority.NORMAL));
        assertEquals("pv3d.jobs.generate.high", Topics.jobs(JobKind.GENERATE, Priority.HIGH));
        for (JobKind kind : JobKind.values()) {
            assertEquals(kind, Topics.kindOf(Topics.jobs(kind, Priority.NORMAL)));
            assertEquals(kind, Topics.kindOf(Topics.jobs(kind, Priority.HIGH)));
            assertTrue(Topics.isHighPriority(Topics.jobs(kind, Priority.HIGH)));
            assertFalse(Topics.isHighPriority(Topics.jobs(kind)));
            assertTrue(Topics.all().contains(Topics.jobs(kind, Priority.HIGH)));
        }
        assertNull(Topics.kindOf(Topics.EVENTS));
        assertFalse(Topics.isHighPriority("something.high"));
        assertEquals(Topics.all().size(), Topics.all().stream().distinct().count());
    }
}
