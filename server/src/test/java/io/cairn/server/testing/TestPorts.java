package io.cairn.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/** Free loopback ports from this module's test range (25000-25999), so parallel helpers never clash. */
public final class TestPorts {
    private static final AtomicInteger NEXT = new AtomicInteger(25600 + (int) (ProcessHandle.current().pid() % 50) * 6);

    private TestPorts() {}

    public static int next() {
        for (int attempts = 0; attempts < 400; attempts++) {
            int port = 25600 + Math.floorMod(NEXT.getAndIncrement() - 25600, 400);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
                return port;
            } catch (IOException inUse) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port in 25600-25999");
    }
}
