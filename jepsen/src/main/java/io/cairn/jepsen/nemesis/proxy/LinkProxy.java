package io.cairn.jepsen.nemesis.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A userspace TCP proxy for one directed link between members: accepts on {@code listen}, dials
 * {@code target} from {@code source} and pumps bytes both ways through the link's current
 * {@link LinkBehaviour}. A behaviour change applies to every open connection from the next chunk
 * on; {@link #close()} ends all of them and the acceptor.
 */
public final class LinkProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkProxy.class);
    /** Members open one or two connections per link; more means something is looping. */
    private static final int MAX_CONNECTIONS = 32;
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final String name;
    private final InetSocketAddress listen;
    private final InetAddress source;
    private final SourcePorts sourcePorts;
    private final InetSocketAddress target;
    private final Random random;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong damagedChunks = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private volatile LinkBehaviour behaviour = LinkBehaviour.CLEAN;
    private volatile boolean closed;
    private ServerSocket server;
    private Thread acceptor;

    public LinkProxy(String name, InetSocketAddress listen, InetAddress source, SourcePorts sourcePorts,
                     InetSocketAddress target, long seed) {
        this.name = name;
        this.listen = listen;
        this.source = source;
        this.sourcePorts = sourcePorts;
        this.target = target;
        this.random = new Random(seed);
    }

    /** Binds the listening socket and starts accepting. */
    public synchronized void start() throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException(name + " already started or closed");
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(listen);
        } catch (IOException e) {
            socket.close();
            throw new IOException("proxy " + name + " cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        server = socket;
        acceptor = new Thread(this::acceptLoop, "proxy-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String name() {
        return name;
    }

    /** The port accepted on (useful when built with port 0); -1 before start. */
    public synchronized int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    public LinkBehaviour behaviour() {
        return behaviour;
    }

    public void behave(LinkBehaviour next) {
        this.behaviour = next;
    }

    /** Chunks that lost bytes on this link so far. */
    public long damagedChunks() {
        return damagedChunks.get();
    }

    /** Connections accepted so far. */
    public long acceptedConnections() {
        return accepted.get();
    }

    public int openConnections() {
        return connections.size();
    }

    private void acceptLoop() {
        int serial = 0;
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("proxy {} stopped accepting: {}", name, e.toString());
                }
                return;
            }
            accepted.incrementAndGet();
            serial++;
            if (connections.size() >= MAX_CONNECTIONS) {
                log.warn("proxy {} refuses a connection: {} already open", name, connections.size());
                closeQuietly(client);
                continue;
            }
            Socket upstream;
            try {
                client.setTcpNoDelay(true);
                upstream = sourcePorts.connect(source, target, CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                // the member is down: the caller sees its connection close, much like a refusal
                closeQuietly(client);
                continue;
            }
            ProxiedConnection connection = new ProxiedConnection(name + "-" + serial, client, upstream,
                    () -> behaviour, random, damagedChunks, connections::remove);
            connections.add(connection);
            if (closed) {
                connection.close();
                return;
            }
            connection.start();
        }
    }

    /** Stops accepting and closes every connection; waits (bounded) for every thread. */
    @Override
    public void close() {
        Thread accepting;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            accepting = acceptor;
            if (server != null) {
                closeQuietly(server);
            }
        }
        for (ProxiedConnection c : List.copyOf(connections)) {
            c.close();
        }
        if (accepting != null) {
            try {
                accepting.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once closed and every thread of this proxy has ended. */
    public boolean isTerminated() {
        return closed && (acceptor == null || !acceptor.isAlive()) && connections.isEmpty();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return name + " (" + behaviour + ")";
    }
}
