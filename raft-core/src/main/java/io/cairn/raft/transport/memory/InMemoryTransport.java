package io.cairn.raft.transport.memory;

import io.cairn.raft.core.Message;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.Transport;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Transport} over an {@link InMemoryNetwork}, for tests of the runtime. Peer addresses
 * are ignored: any node registered on the network can be reached by its id.
 */
public final class InMemoryTransport implements Transport {
    private final InMemoryNetwork network;
    private final long localId;
    private volatile boolean started;
    private volatile boolean closed;

    InMemoryTransport(InMemoryNetwork network, long localId) {
        this.network = network;
        this.localId = localId;
    }

    public long localId() {
        return localId;
    }

    @Override
    public synchronized void start(InboundHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (started || closed) {
            throw new IllegalStateException("transport already started or closed");
        }
        network.register(localId, handler);
        started = true;
    }

    @Override
    public void addPeer(long id, String address) {
        // Reachability is by id on the shared network.
    }

    @Override
    public void removePeer(long id) {
        // Nothing is held per peer.
    }

    @Override
    public void send(Message message) {
        checkSender(message);
        if (started && !closed) {
            network.send(message);
        }
    }

    @Override
    public CompletableFuture<Void> sendSnapshot(Message message, SnapshotStore.StoredSnapshot snapshot) {
        checkSender(message);
        if (!started || closed) {
            return CompletableFuture.failedFuture(new IOException("transport is not running"));
        }
        return network.sendSnapshot(message, snapshot);
    }

    private void checkSender(Message message) {
        if (message.from() != localId) {
            throw new IllegalArgumentException("message from " + Long.toHexString(message.from())
                    + " sent through the transport of " + Long.toHexString(localId));
        }
    }

    /** Leaves the network: messages in this node's inbox are discarded, as in a crash. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (started) {
                network.unregister(localId);
            }
        }
    }
}
