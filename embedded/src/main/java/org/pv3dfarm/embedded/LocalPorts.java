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
     * Distinct ports that were free a moment ago: the sockets are held open together while the ports are picked,
     * so that two picks cannot return the same port (one after the other, they can). Another process may take a
     * port before the caller binds it; the window is short, and a collision fails the start loudly.
     */
    static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free local ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the port is only being probed
            }
        }
    }

    static int requireValidPort(String field, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(field + " must be 0 (any free port) or 1..65535, was " + port);
        }
        return port;
    }
}
