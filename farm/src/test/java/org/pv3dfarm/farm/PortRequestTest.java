package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortRequestTest {

    @Test
    void zeroMeansAnyFreePort() {
        int port = PortRequest.exactly(0).resolve("api port");
        assertTrue(port > 0 && port <= 65_535, "port " + port);
        assertTrue(PortRequest.isFree(port));
    }

    @Test
    void aFreePortIsUsedAsItIs() {
        int free = PortRequest.freePort();
        assertEquals(free, PortRequest.exactly(free).resolve("api port"));
        assertEquals(free, PortRequest.preferred(free).resolve("api port"));
    }

    @Test
    void aTakenExactPortFailsNamingThePart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PortRequest.exactly(taken.getLocalPort()).resolve("Kafka port"));
            assertTrue(e.getMessage().startsWith("Kafka port " + taken.getLocalPort() + " is in use"), e.getMessage());
        }
    }

    @Test
    void aTakenPreferredPortFallsBackToAFreeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = PortRequest.preferred(taken.getLocalPort()).resolve("S3 port");
            assertNotEquals(taken.getLocalPort(), port);
            assertTrue(PortRequest.isFree(port));
        }
    }

    @Test
    void portsOutsideTheRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PortRequest.exactly(-1));
        assertThrows(IllegalArgumentException.class, () -> PortRequest.preferred(65_536));
    }
}
