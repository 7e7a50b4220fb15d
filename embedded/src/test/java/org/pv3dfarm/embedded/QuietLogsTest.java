package org.pv3dfarm.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class QuietLogsTest {

    @Test
    void aLevelAppliesToTheWholeLoggerTreeAndNothingElse() {
        Logger chatty = LoggerFactory.getLogger("quietlogs.test.chatty.Server");
        Logger neighbour = LoggerFactory.getLogger("quietlogs.test.other.Server");
        QuietLogs.apply(Level.ERROR, List.of("quietlogs.test.chatty"));
        assertFalse(chatty.isWarnEnabled());
        assertTrue(chatty.isErrorEnabled());
        assertTrue(neighbour.isWarnEnabled());
        QuietLogs.apply(Level.DEBUG, List.of("quietlogs.test.chatty"));
        assertTrue(chatty.isDebugEnabled());
    }
}
