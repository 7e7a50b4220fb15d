package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobCursorTest {

    @Test
    void roundTripsAndRejectsForgeries() {
        JobCursor cursor = new JobCursor(Instant.parse("2026-11-26T04:05:06.123456789Z"), UUID.randomUUID());
        assertEquals(cursor, JobCursor.decode(cursor.encode()));
        for (String bad : new String[] {"", "!!", "bm9wZQ", "MTIzOng"}) {
            assertEquals(ProblemType.INVALID_QUERY, assertThrows(ProblemException.class,
                    () -> JobCursor.decode(bad)).type());
        }
    }
}
