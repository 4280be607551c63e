package io.cairn.raft.node;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.storage.MemoryStorage;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.storage.Storage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link MemoryStorage} that outlives the node using it, like a disk outlives a process:
 * {@link #close()} detaches instead of discarding, so a test can "restart" a node on the same
 * durable state. A detached view refuses writes, as a dead process cannot write.
 */
final class DurableMemoryStorage implements Storage {
    private final MemoryStorage disk;
    private volatile boolean detached;

    private DurableMemoryStorage(MemoryStorage disk) {
        this.disk = disk;
    }

    static DurableMemoryStorage create() {
        return new DurableMemoryStorage(new MemoryStorage());
    }

    /** A fresh view of the same durable state, for the next incarnation of the node. */
    DurableMemoryStorage reopen() {
        return new DurableMemoryStorage(disk);
    }

    @Override public HardState hardState() { return disk.hardState(); }
    @Override public SnapshotMetadata snapshot() { return disk.snapshot(); }
    @Override public long firstIndex() { return disk.firstIndex(); }
    @Override public long lastIndex() { return disk.lastIndex(); }
    @Override public long term(long index) { return disk.term(index); }
    @Override public List<Entry> entries(long from, long to, long maxBytes) { return disk.entries(from, to, maxBytes); }
    @Override public SnapshotStore snapshots() { return disk.snapshots(); }

    @Override
    public CompletableFuture<Void> persist(SnapshotMetadata snapshot, List<Entry> entries, HardState hardState) {
        if (detached) {
            return CompletableFuture.failedFuture(new IllegalStateException("storage detached"));
        }
        return disk.persist(snapshot, entries, hardState);
    }

    @Override
    public void compact(long index) {
        if (!detached) {
            disk.compact(index);
        }
    }

    @Override
    public void close() {
        detached = true;
    }
}
