package io.cairn.raft.transport.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy for transport tests that can damage what passes: silence the connections
 * open right now (their bytes are swallowed both ways, the sockets stay open: a half-dead
 * connection that keepalive pings cannot reveal once they are swallowed too) while new ones pass,
 * or overwrite the next occurrence of a byte pattern going to the target (a garbled payload that
 * HTTP/2 and gRPC cannot notice).
 */
final class FaultyTcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile byte[] garbleFrom;
    private volatile byte[] garbleTo;

    /** Both directions of one proxied connection. */
    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean silenced;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, true);
            pump(upstream, client, false);
        }

        private void pump(Socket from, Socket to, boolean towardsTarget) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (silenced) {
                            continue;
                        }
                        if (towardsTarget) {
                            garble(buffer, n);
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    // closed
                } finally {
                    close();
                }
            }, "faulty-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        void close() {
            try {
                client.close();
                upstream.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    FaultyTcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "faulty-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Every connection open now swallows all further bytes; later connections pass. */
    void silenceOpenConnections() {
        links.forEach(l -> l.silenced = true);
    }

    /** Overwrites the next occurrence of {@code from} (within one read) on its way to the target. */
    void garbleNext(byte[] from, byte[] to) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("replacement must keep the length");
        }
        garbleTo = to;
        garbleFrom = from;
    }

    private synchronized void garble(byte[] buffer, int length) {
        byte[] pattern = garbleFrom;
        if (pattern == null) {
            return;
        }
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            System.arraycopy(garbleTo, 0, buffer, i, pattern.length);
            garbleFrom = null;
            return;
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                // closed, or the target is down: the client sees its connection end
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
    }
}
