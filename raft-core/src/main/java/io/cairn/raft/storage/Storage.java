package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.LogReader;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Durable Raft state: the log, the hard state and snapshots. Reads (the {@link LogReader}
 * methods) are thread-safe and see a write once it is durable.
 *
 * <p>Writes are queued and performed in call order; one fsync covers every write that arrived
 * while the previous one was being forced (group commit).
 */
public interface Storage extends LogReader, AutoCloseable {

    /**
     * Durably records, in this order: a snapshot point (the whole log up to and including
     * {@code snapshot.index()} is discarded; its data must already be committed in
     * {@link #snapshots()}), then {@code entries} (if the first entry's index is not past the
     * last index, the conflicting suffix is truncated first), then the hard state.
     *
     * @param snapshot a snapshot point to install, or null
     * @param entries entries with contiguous indexes, possibly empty
     * @param hardState the new hard state, or null when unchanged
     * @return completes once everything is durable; completes exceptionally if the write failed
     *     (the node must then stop: it can no longer make promises). One exception: a write that
     *     only moves the commit index (no snapshot, no entries, same term and vote) may complete
     *     before it is durable, as etcd-io/raft's MustSync allows; it becomes durable with the
     *     next write that is, so after a crash the recovered commit index is at least that of
     *     the last write with entries, a snapshot or a new term or vote. Raft never needs a
     *     durable commit index: the leader repeats it, and applied entries are committed.
     */
    CompletableFuture<Void> persist(SnapshotMetadata snapshot, List<Entry> entries, HardState hardState);

    /**
     * Drops entries up to and including {@code index}, which must be covered by a snapshot in
     * {@link #snapshots()}. Compaction is an optimisation: it may happen lazily (whole segments).
     */
    void compact(long index);

    /** The snapshot files of this node. */
    SnapshotStore snapshots();

    /** Flushes and releases files. Pending writes complete (or fail) before this returns. */
    @Override
    void close();
}
