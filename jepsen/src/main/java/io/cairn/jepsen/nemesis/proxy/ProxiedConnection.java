package io.cairn.jepsen.nemesis.proxy;

import java.io.IOException;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One client connection through a link proxy and the proxy's own connection to the real
 * member, joined by a pump each way. A half-close is passed on; any error closes both sockets,
 * as a broken middlebox would.
 */
final class ProxiedConnection {
    private final Socket client;
    private final Socket server;
    private final Pump outbound;
    private final Pump inbound;
    private final Consumer<ProxiedConnection> onClosed;
    private int cleanlyFinished;
    private boolean closed;

    ProxiedConnection(String name, Socket client, Socket server, Supplier<LinkBehaviour> behaviour, Random random,
                      AtomicLong damagedChunks, Consumer<ProxiedConnection> onClosed) {
        this.client = client;
        this.server = server;
        this.onClosed = onClosed;
        this.outbound = new Pump(name + "-out", client, server, behaviour, new Random(random.nextLong()), damagedChunks,
                this::finished);
        this.inbound = new Pump(name + "-in", server, client, behaviour, new Random(random.nextLong()), damagedChunks,
                this::finished);
    }

    void start() {
        outbound.start();
        inbound.start();
    }

    private void finished(Pump pump, boolean clean) {
        boolean both;
        synchronized (this) {
            both = clean && ++cleanlyFinished == 2;
        }
        if (!clean || both) {
            close();
        }
    }

    /** Closes both sockets and waits (bounded) for the pump threads. Idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeQuietly(client);
        closeQuietly(server);
        try {
            outbound.stop();
            inbound.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClosed.accept(this);
    }

    boolean isStopped() {
        return outbound.isStopped() && inbound.isStopped();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
