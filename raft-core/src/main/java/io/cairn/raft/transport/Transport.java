package io.cairn.raft.transport;

import io.cairn.raft.core.Message;
import io.cairn.raft.storage.SnapshotStore;
import java.util.concurrent.CompletableFuture;

/**
 * Carries messages between the members of one group. Sends never block the caller: each peer
 * has a bounded queue, and a message that does not fit is dropped (Raft retransmits), after
 * which the peer is reported unreachable.
 */
public interface Transport extends AutoCloseable {

    /** Starts serving and delivering inbound traffic to {@code handler}. */
    void start(InboundHandler handler);

    /** Adds or updates a peer's address (format defined by the implementation). */
    void addPeer(long id, String address);

    /** Forgets a peer and closes its connection. */
    void removePeer(long id);

    /** Queues a message for {@code message.to()}. */
    void send(Message message);

    /**
     * Streams a SNAPSHOT message together with its data, in chunks, on a separate channel from
     * replication. The future completes when the receiver has stored the whole snapshot.
     */
    CompletableFuture<Void> sendSnapshot(Message message, SnapshotStore.StoredSnapshot snapshot);

    @Override
    void close();

    /** Where inbound traffic goes. Called from transport threads. */
    interface InboundHandler {
        /**
         * A message from a peer. Called on the transport's network thread, so it must not block
         * (a node queues the message for its own loop).
         */
        void onMessage(Message message);

        /**
         * A snapshot is arriving: return the writer to stream its data into. Once the transport
         * has committed the writer it delivers {@code message} through {@link #onMessage}.
         */
        SnapshotStore.Writer openSnapshot(Message message) throws java.io.IOException;

        /** A peer could not be reached or a message to it was dropped. */
        void onUnreachable(long peerId);

        /**
         * A peer is up: it opened a connection to this node. Called on a network thread; must not
         * block. Optional for handlers that have no use for it.
         */
        default void onReachable(long peerId) {
        }
    }
}
