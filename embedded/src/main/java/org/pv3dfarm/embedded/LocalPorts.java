package org.pv3dfarm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on the loopback interface for servers that must know their port before they bind (Kafka's listeners). */
final class LocalPorts {

    static final String LOOPBACK = "127.0.0.1";

    private LocalPorts() {
    }

    /**
     * A port that was free a moment ago. Another process may take it before the caller binds it; the window is
     * short, and a collision fails the start loudly rather than silently.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    static int requireValidPort(String field, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(field + " must be 0 (any free port) or 1..65535, was " + port);
        }
        return port;
    }
}
