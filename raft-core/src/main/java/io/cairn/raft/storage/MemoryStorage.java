package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.LogCompactedException;
import io.cairn.raft.core.LogUnavailableException;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Storage} held in memory, with the same contract as the file store: for unit tests,
 * cluster tests and simulations. Thread-safe; every {@link #persist} is "durable" (visible) before
 * its future, which is already complete when returned.
 */
public final class MemoryStorage implements Storage {
    private final SnapshotStore snapshots;
    /** Entries from {@code firstIndex} on. */
    private final ArrayList<Entry> entries = new ArrayList<>();
    private long firstIndex = 1;
    /** Term of the entry at {@code firstIndex - 1} (0 for the empty log). */
    private long prevTerm;
    private SnapshotMetadata snapshot = SnapshotMetadata.EMPTY;
    private HardState hardState = HardState.EMPTY;
    private boolean closed;

    /** An empty store with its own {@link MemorySnapshotStore}. */
    public MemoryStorage() {
        this(new MemorySnapshotStore());
    }

    /** An empty store whose snapshot points refer to {@code snapshots}. */
    public MemoryStorage(SnapshotStore snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public synchronized HardState hardState() {
        return hardState;
    }

    @Override
    public synchronized SnapshotMetadata snapshot() {
        return snapshot;
    }

    @Override
    public synchronized long firstIndex() {
        return firstIndex;
    }

    @Override
    public synchronized long lastIndex() {
        return firstIndex + entries.size() - 1;
    }

    @Override
    public synchronized long term(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index == firstIndex - 1) {
            return prevTerm;
        }
        if (index < firstIndex) {
            throw new LogCompactedException(index, firstIndex);
        }
        if (index > lastIndex()) {
            throw new LogUnavailableException(index, lastIndex());
        }
        return entries.get((int) (index - firstIndex)).term();
    }

    @Override
    public synchronized List<Entry> entries(long from, long to, long maxBytes) {
        if (from > to) {
            throw new IllegalArgumentException("from " + from + " > to " + to);
        }
        if (from < firstIndex) {
            throw new LogCompactedException(from, firstIndex);
        }
        if (to > lastIndex() + 1) {
            throw new LogUnavailableException(to - 1, lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i < to; i++) {
            Entry e = entries.get((int) (i - firstIndex));
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized CompletableFuture<Void> persist(SnapshotMetadata newSnapshot, List<Entry> newEntries,
            HardState newHardState) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("storage is closed"));
        }
        try {
            LogRules.requireContiguous(newEntries);
            if (newSnapshot != null) {
                LogRules.requireInstallable(newSnapshot, snapshot, snapshots);
            }
            long lastAfterSnapshot = newSnapshot != null ? newSnapshot.index() : lastIndex();
            LogRules.requireNoGap(newEntries, lastAfterSnapshot);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (newSnapshot != null) {
            entries.clear();
            snapshot = newSnapshot;
            firstIndex = newSnapshot.index() + 1;
            prevTerm = newSnapshot.term();
        }
        append(newEntries);
        if (newHardState != null) {
            hardState = newHardState;
        }
        return CompletableFuture.completedFuture(null);
    }

    private void append(List<Entry> newEntries) {
        for (Entry e : newEntries) {
            if (e.index() < firstIndex) {
                continue; // already compacted, hence committed and identical
            }
            int position = (int) (e.index() - firstIndex);
            if (position < entries.size()) {
                entries.subList(position, entries.size()).clear();
            }
            entries.add(e);
        }
    }

    @Override
    public synchronized void compact(long index) {
        if (index < firstIndex) {
            return;
        }
        snapshot = LogRules.pointAfterCompaction(snapshot, snapshots, lastIndex(), this::term);
        LogRules.requireCompactable(index, snapshot, lastIndex());
        prevTerm = term(index);
        entries.subList(0, (int) (index - firstIndex + 1)).clear();
        entries.trimToSize();
        firstIndex = index + 1;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
