package org.pv3dfarm.farm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Which TCP port a part of the farm listens on, as asked for.
 *
 * <p>Rule ({@link #resolve(String)}): {@code exactly(0)} is any free port; {@code exactly(n)} is n, and fails at once
 * with the part's name when n is taken (rather than a broker or Quarkus failing later, deep in its log);
 * {@code preferred(n)} is n when it is free and any free port otherwise, so that a second farm on one machine still
 * starts (the summary prints the ports that were chosen).
 *
 * @param port     1..65535, or 0 for any free port
 * @param fallBack whether a taken port may be replaced by a free one
 */
public record PortRequest(int port, boolean fallBack) {

    static final String LOOPBACK = "127.0.0.1";

    public PortRequest {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, was " + port);
        }
    }

    /** Exactly this port; 0 = any free port. */
    public static PortRequest exactly(int port) {
        return new PortRequest(port, false);
    }

    /** This port where free, any free port otherwise. */
    public static PortRequest preferred(int port) {
        return new PortRequest(port, true);
    }

    /**
     * The port to bind now (see the class comment). Another process may take a free port before the caller binds
     * it; the window is short, and a collision then fails the start loudly.
     *
     * @param what the part that will listen, for the error message ("api port")
     */
    public int resolve(String what) {
        if (port == 0) {
            return freePort();
        }
        if (isFree(port)) {
            return port;
        }
        if (fallBack) {
            return freePort();
        }
        throw new IllegalStateException(what + " " + port + " is in use on " + LOOPBACK
                + "; choose another port, or 0 for any free port");
    }

    /** Whether a server could bind this port on the loopback interface right now. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    @Override
    public String toString() {
        return port == 0 ? "any free port" : port + (fallBack ? " (or any free port if taken)" : "");
    }
}
