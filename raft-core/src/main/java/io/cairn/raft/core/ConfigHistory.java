package io.cairn.raft.core;

import java.util.List;

/** Reconstructs and inspects membership from the log: configuration entries are rare, so scans are cheap enough. */
final class ConfigHistory {
    /** The configuration in force and the index of the entry that set it. */
    record Restored(ClusterConfig config, long index) {
    }

    private static final long SCAN_CHUNK_BYTES = 4L << 20;

    private ConfigHistory() {
    }

    /**
     * The configuration after a restart: the snapshot's, plus every committed configuration entry
     * after it (a change is in force once committed; re-handing it out later is skipped).
     */
    static Restored restore(RaftLog log, SnapshotMetadata snapshot) {
        ClusterConfig config = snapshot.config();
        long index = snapshot.index();
        long from = snapshot.index() + 1;
        long to = log.committed() + 1;
        while (from < to) {
            List<Entry> chunk = log.entries(from, to, SCAN_CHUNK_BYTES);
            for (Entry e : chunk) {
                if (e.type() == EntryType.CONFIG_CHANGE) {
                    try {
                        config = config.apply(ConfigChange.decode(e.data()));
                    } catch (IllegalArgumentException | IllegalStateException ignored) {
                        // Same rule as at runtime: a change that does not apply is a no-op.
                    }
                    index = e.index();
                }
            }
            from = chunk.get(chunk.size() - 1).index() + 1;
        }
        return new Restored(config, index);
    }

    /** Whether a committed configuration entry after {@code inForceThrough} is not in force yet. */
    static boolean hasCommittedChangeNotInForce(RaftLog log, long inForceThrough) {
        long from = Math.max(log.applying(), inForceThrough) + 1;
        long to = log.committed() + 1;
        while (from < to) {
            List<Entry> chunk;
            try {
                chunk = log.entries(from, to, SCAN_CHUNK_BYTES);
            } catch (LogCompactedException e) {
                return false;
            }
            for (Entry e : chunk) {
                if (e.type() == EntryType.CONFIG_CHANGE) {
                    return true;
                }
            }
            from = chunk.get(chunk.size() - 1).index() + 1;
        }
        return false;
    }
}
