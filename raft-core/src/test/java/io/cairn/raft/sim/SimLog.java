package io.cairn.raft.sim;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.LogCompactedException;
import io.cairn.raft.core.LogUnavailableException;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * One copy of the Raft state a simulated disk holds: the snapshot point with its state machine
 * image, the log entries after (and possibly a few before) it, and the hard state. Mutable; a
 * {@link SimDisk} keeps one for what is durable and one for what has been written so far.
 */
final class SimLog {
    /** Returned by {@link #termOrUnknown(long)} when the term is compacted away or past the end. */
    static final long UNKNOWN = -1;

    /** Whether compaction remembers the term of the last dropped entry, as some stores do. */
    private final boolean keepsTermBeforeFirst;
    private SnapshotMetadata snapshot;
    private SnapshotImage image;
    private long firstIndex;
    private long termBeforeFirst;
    private final ArrayList<Entry> entries;
    private HardState hardState;

    SimLog(SnapshotMetadata bootstrap) {
        this(bootstrap, false);
    }

    SimLog(SnapshotMetadata bootstrap, boolean keepsTermBeforeFirst) {
        this(keepsTermBeforeFirst, bootstrap, SnapshotImage.EMPTY, bootstrap.index() + 1, bootstrap.term(),
                new ArrayList<>(), HardState.EMPTY);
    }

    private SimLog(boolean keepsTermBeforeFirst, SnapshotMetadata snapshot, SnapshotImage image, long firstIndex,
            long termBeforeFirst, ArrayList<Entry> entries, HardState hardState) {
        this.keepsTermBeforeFirst = keepsTermBeforeFirst;
        this.snapshot = snapshot;
        this.image = image;
        this.firstIndex = firstIndex;
        this.termBeforeFirst = termBeforeFirst;
        this.entries = entries;
        this.hardState = hardState;
    }

    SimLog copy() {
        return new SimLog(keepsTermBeforeFirst, snapshot, image, firstIndex, termBeforeFirst, new ArrayList<>(entries),
                hardState);
    }

    SnapshotMetadata snapshot() {
        return snapshot;
    }

    SnapshotImage image() {
        return image;
    }

    HardState hardState() {
        return hardState;
    }

    long firstIndex() {
        return firstIndex;
    }

    long lastIndex() {
        return firstIndex + entries.size() - 1;
    }

    long term(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index == firstIndex - 1 && keepsTermBeforeFirst) {
            return termBeforeFirst;
        }
        if (index < firstIndex) {
            throw new LogCompactedException(index, firstIndex);
        }
        if (index > lastIndex()) {
            throw new LogUnavailableException(index, lastIndex());
        }
        return entryAt(index).term();
    }

    /** The term at {@code index}, or {@link #UNKNOWN} when this log cannot tell. */
    long termOrUnknown(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index == firstIndex - 1 && keepsTermBeforeFirst) {
            return termBeforeFirst;
        }
        if (index < firstIndex || index > lastIndex()) {
            return UNKNOWN;
        }
        return entryAt(index).term();
    }

    /** Whether this log holds (index, term), either as an entry or as its snapshot point. */
    boolean contains(long index, long term) {
        return termOrUnknown(index) == term;
    }

    Entry entryAt(long index) {
        return entries.get(Math.toIntExact(index - firstIndex));
    }

    List<Entry> entries(long from, long to, long maxBytes) {
        if (from < firstIndex) {
            throw new LogCompactedException(from, firstIndex);
        }
        if (to > lastIndex() + 1) {
            throw new LogUnavailableException(to - 1, lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i < to; i++) {
            Entry e = entryAt(i);
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Applies one write in the order the Storage contract prescribes: snapshot, entries, hard state. */
    void apply(SimWrite write) {
        if (write.snapshot() != null) {
            installSnapshot(write.snapshot(), write.image());
        }
        append(write.entries());
        if (write.hardState() != null) {
            hardState = write.hardState();
        }
    }

    /** Appends entries, first truncating any suffix that starts at the first new index. */
    void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = newEntries.get(0).index();
        if (first < firstIndex) {
            throw new StorageContractException("write at index " + first + " below the first index " + firstIndex);
        }
        if (first > lastIndex() + 1) {
            throw new StorageContractException("write at index " + first + " leaves a gap after " + lastIndex());
        }
        for (int i = 1; i < newEntries.size(); i++) {
            if (newEntries.get(i).index() != first + i) {
                throw new StorageContractException("non-contiguous entries in one write: " + newEntries);
            }
        }
        entries.subList(Math.toIntExact(first - firstIndex), entries.size()).clear();
        entries.addAll(newEntries);
    }

    /** Replaces the whole log with a received snapshot (the core installs one only on mismatch). */
    void installSnapshot(SnapshotMetadata meta, SnapshotImage newImage) {
        snapshot = meta;
        image = newImage;
        entries.clear();
        firstIndex = meta.index() + 1;
        termBeforeFirst = meta.term();
    }

    /**
     * Moves the snapshot point forward to a locally taken snapshot and drops entries before
     * {@code keepFrom}, keeping a few behind the snapshot for slow followers.
     */
    void compact(SnapshotMetadata meta, SnapshotImage newImage, long keepFrom) {
        if (meta.index() <= snapshot.index() || meta.index() > lastIndex()) {
            return;
        }
        snapshot = meta;
        image = newImage;
        long newFirst = Math.min(Math.max(keepFrom, firstIndex), meta.index() + 1);
        if (newFirst > firstIndex) {
            termBeforeFirst = entryAt(newFirst - 1).term();
        }
        entries.subList(0, Math.toIntExact(newFirst - firstIndex)).clear();
        firstIndex = newFirst;
    }

    @Override
    public String toString() {
        return "log[snap=" + snapshot.index() + "/" + snapshot.term() + " first=" + firstIndex + " last=" + lastIndex()
                + " hs=" + hardState + "]";
    }
}
