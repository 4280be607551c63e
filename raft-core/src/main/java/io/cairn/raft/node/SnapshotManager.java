package io.cairn.raft.node;

import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.storage.Storage;
import io.cairn.raft.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files in and out of the node: writes the state machine's captures off the event loop
 * and compacts the log behind them, streams the latest snapshot to followers the core asks for,
 * and restores the state machine from a stored snapshot.
 */
final class SnapshotManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotManager.class);

    private final long nodeId;
    private final Storage storage;
    private final Transport transport;
    private final long entriesKeptAfterSnapshot;
    private final ExecutorService writer;
    private final AtomicBoolean writing = new AtomicBoolean();

    SnapshotManager(long nodeId, Storage storage, Transport transport, long entriesKeptAfterSnapshot) {
        this.nodeId = nodeId;
        this.storage = storage;
        this.transport = transport;
        this.entriesKeptAfterSnapshot = entriesKeptAfterSnapshot;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-snapshot-" + Long.toHexString(nodeId));
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether a snapshot write is under way (the apply thread then skips taking another). */
    boolean isWriting() {
        return writing.get();
    }

    /**
     * Writes a captured state as snapshot {@code metadata} in the background, then compacts the
     * log up to {@code entriesKeptAfterSnapshot} entries behind it. {@code onDone} gets null or
     * the failure.
     */
    void writeAsync(SnapshotMetadata metadata, io.cairn.raft.node.StateMachine.SnapshotSource source,
            Consumer<Throwable> onDone) {
        writing.set(true);
        writer.execute(() -> {
            Throwable failure = null;
            try (source; SnapshotStore.Writer out = storage.snapshots().create(metadata)) {
                source.writeTo(out.output());
                out.commit();
                long compactTo = metadata.index() - entriesKeptAfterSnapshot;
                if (compactTo >= storage.firstIndex()) {
                    storage.compact(compactTo);
                }
                log.debug("node {} wrote snapshot {}/{}", Long.toHexString(nodeId), metadata.index(), metadata.term());
            } catch (Throwable t) {
                failure = t;
                log.warn("node {} failed to write snapshot at {}", Long.toHexString(nodeId), metadata.index(), t);
            } finally {
                writing.set(false);
            }
            onDone.accept(failure);
        });
    }

    /**
     * Streams the latest stored snapshot for the core's SNAPSHOT message. The core names the
     * snapshot point it knows; a newer stored snapshot is sent instead (the follower then simply
     * acknowledges a later index). Completes with whether the follower stored it.
     */
    CompletableFuture<Void> send(Message message) {
        Optional<SnapshotStore.StoredSnapshot> latest = storage.snapshots().latest();
        if (latest.isEmpty() || latest.get().metadata().index() < message.snapshot().index()) {
            return CompletableFuture.failedFuture(new IOException("no stored snapshot at or after index "
                    + message.snapshot().index()));
        }
        SnapshotStore.StoredSnapshot snapshot = latest.get();
        Message toSend = message.toBuilder().snapshot(snapshot.metadata()).build();
        return transport.sendSnapshot(toSend, snapshot);
    }

    /** The local message reporting a snapshot transfer's outcome to the core. */
    Message statusMessage(long follower, boolean failed) {
        return Message.builder(MessageType.SNAPSHOT_STATUS).from(follower).to(nodeId).reject(failed).build();
    }

    /** Opens a writer for a snapshot arriving from the leader. */
    SnapshotStore.Writer receive(Message message) throws IOException {
        return storage.snapshots().create(message.snapshot());
    }

    /**
     * Replaces the state machine's state with the newest stored snapshot, which must cover at
     * least {@code minIndex} (apply thread, or before start). Returns the restored metadata.
     */
    SnapshotMetadata restoreLatest(StateMachine<?> stateMachine, long minIndex) {
        SnapshotStore.StoredSnapshot stored = storage.snapshots().latest()
                .filter(s -> s.metadata().index() >= minIndex)
                .orElseThrow(() -> new IllegalStateException("no stored snapshot covers index " + minIndex));
        try (InputStream in = stored.open(0)) {
            stateMachine.restore(stored.metadata(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("restoring snapshot " + stored.metadata().index(), e);
        }
        return stored.metadata();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
