package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.List;
import java.util.Optional;

/** Argument checks shared by every {@link Storage} implementation, so they agree on the contract. */
final class LogRules {
    private LogRules() {
    }

    /** Entries must have contiguous indexes. */
    static void requireContiguous(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).index() != entries.get(i - 1).index() + 1) {
                throw new IllegalArgumentException("entries are not contiguous: " + entries.get(i - 1).index()
                        + " then " + entries.get(i).index());
            }
        }
    }

    /** An append may overwrite a suffix but must not leave a gap after the last index. */
    static void requireNoGap(List<Entry> entries, long lastIndex) {
        if (!entries.isEmpty() && entries.get(0).index() > lastIndex + 1) {
            throw new IllegalArgumentException("entry " + entries.get(0).index() + " would leave a gap after "
                    + lastIndex);
        }
    }

    /**
     * A snapshot point may not move backwards, and (past the bootstrap point at index 0) its data
     * must already be committed in the snapshot store.
     */
    static void requireInstallable(SnapshotMetadata snapshot, SnapshotMetadata current, SnapshotStore store) {
        if (snapshot.index() < current.index()) {
            throw new IllegalArgumentException("snapshot " + snapshot.index() + " is older than the current one at "
                    + current.index());
        }
        if (snapshot.index() == 0) {
            return;
        }
        Optional<SnapshotStore.StoredSnapshot> latest = store.latest();
        if (latest.isEmpty() || latest.get().metadata().index() < snapshot.index()) {
            throw new IllegalArgumentException("snapshot " + snapshot.index() + "/" + snapshot.term()
                    + " is not committed in the snapshot store");
        }
    }

    /**
     * The snapshot point after compacting: the newest stored snapshot when it is newer than the
     * current point and agrees with the log, otherwise the current point. Adopting it is what lets
     * a restarted node find the snapshot that covers the compacted prefix.
     */
    static SnapshotMetadata pointAfterCompaction(SnapshotMetadata current, SnapshotStore store,
            long lastIndex, TermLookup log) {
        Optional<SnapshotStore.StoredSnapshot> latest = store.latest();
        if (latest.isEmpty()) {
            return current;
        }
        SnapshotMetadata candidate = latest.get().metadata();
        if (candidate.index() <= current.index() || candidate.index() > lastIndex
                || log.term(candidate.index()) != candidate.term()) {
            return current;
        }
        return candidate;
    }

    /** Checks a compaction index against the snapshot point and the log. */
    static void requireCompactable(long index, SnapshotMetadata point, long lastIndex) {
        if (index > point.index()) {
            throw new IllegalArgumentException("cannot compact through " + index + ": no snapshot covers it (newest "
                    + point.index() + ")");
        }
        if (index > lastIndex) {
            throw new IllegalArgumentException("cannot compact through " + index + ": past the last index " + lastIndex);
        }
    }

    /** Term lookup used while deciding on compaction. */
    @FunctionalInterface
    interface TermLookup {
        long term(long index);
    }
}
