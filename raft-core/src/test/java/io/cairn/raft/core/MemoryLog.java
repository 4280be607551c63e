package io.cairn.raft.core;

import java.util.ArrayList;
import java.util.List;

/** A test {@link LogReader} holding "durable" state in memory; {@link #persist} applies a Ready's writes. */
final class MemoryLog implements LogReader {
    private HardState hardState = HardState.EMPTY;
    private SnapshotMetadata snapshot;
    private final List<Entry> entries = new ArrayList<>();
    /** First readable index when entries are kept behind the snapshot; 0 = snapshot index + 1. */
    private long keptFrom;

    MemoryLog(ClusterConfig bootstrap) {
        this.snapshot = new SnapshotMetadata(0, 0, bootstrap);
    }

    static MemoryLog bootstrap(Long... voters) {
        return new MemoryLog(ClusterConfig.ofVoters(voters));
    }

    /** Carries out a Ready's durable writes, as Storage.persist would. */
    void persist(Ready ready) {
        if (ready.snapshot() != null) {
            SnapshotMetadata s = ready.snapshot();
            // Like Storage.persist: the log is replaced by the snapshot point.
            entries.clear();
            snapshot = s;
            keptFrom = 0;
        }
        if (!ready.entries().isEmpty()) {
            long first = ready.entries().get(0).index();
            entries.removeIf(e -> e.index() >= first);
            if (first != lastIndex() + 1) {
                throw new IllegalStateException("gap: appending " + first + " after " + lastIndex());
            }
            entries.addAll(ready.entries());
        }
        if (ready.hardState() != null) {
            hardState = ready.hardState();
        }
    }

    /** Drops entries up to {@code index}, recording a snapshot point there. */
    void compact(long index, ClusterConfig config) {
        long term = term(index);
        entries.removeIf(e -> e.index() <= index);
        snapshot = new SnapshotMetadata(index, term, config);
        keptFrom = 0;
    }

    /**
     * Records a snapshot point at {@code snapshotIndex} but keeps the entries from
     * {@code keepFrom} on (storage keeps some entries behind a snapshot for slow followers).
     */
    void snapshotKeeping(long snapshotIndex, long keepFrom, ClusterConfig config) {
        long term = term(snapshotIndex);
        entries.removeIf(e -> e.index() < keepFrom);
        snapshot = new SnapshotMetadata(snapshotIndex, term, config);
        keptFrom = keepFrom;
    }

    /** Appends entries directly (to set up diverging logs). */
    void appendRaw(Entry... toAppend) {
        for (Entry e : toAppend) {
            entries.removeIf(x -> x.index() >= e.index());
            entries.add(e);
        }
    }

    void setHardState(HardState hs) {
        this.hardState = hs;
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public SnapshotMetadata snapshot() {
        return snapshot;
    }

    @Override
    public long firstIndex() {
        return keptFrom > 0 ? keptFrom : snapshot.index() + 1;
    }

    @Override
    public long lastIndex() {
        return entries.isEmpty() ? Math.max(snapshot.index(), firstIndex() - 1) : entries.get(entries.size() - 1).index();
    }

    @Override
    public long term(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index < firstIndex()) {
            throw new LogCompactedException(index, firstIndex());
        }
        if (index > lastIndex()) {
            throw new LogUnavailableException(index, lastIndex());
        }
        return entries.get((int) (index - firstIndex())).term();
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        if (from < firstIndex()) {
            throw new LogCompactedException(from, firstIndex());
        }
        if (to > lastIndex() + 1) {
            throw new LogUnavailableException(to - 1, lastIndex());
        }
        List<Entry> result = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i < to; i++) {
            Entry e = entries.get((int) (i - firstIndex()));
            if (!result.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                break;
            }
            bytes += e.sizeBytes();
            result.add(e);
        }
        return result;
    }
}
