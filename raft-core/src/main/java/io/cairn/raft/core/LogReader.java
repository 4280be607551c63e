package io.cairn.raft.core;

import java.util.List;

/**
 * The core's read-only view of the durable log. Implementations must be safe to call from the
 * core's thread while a storage thread appends, and must reflect an append once it is durable.
 */
public interface LogReader {
    /** The hard state as last persisted. */
    HardState hardState();

    /** The latest snapshot point; {@link SnapshotMetadata#EMPTY} or a bootstrap config at index 0 when none. */
    SnapshotMetadata snapshot();

    /** Index of the first entry still in the log ({@code snapshot().index() + 1} when empty). */
    long firstIndex();

    /** Index of the last entry, or {@code snapshot().index()} when the log is empty. */
    long lastIndex();

    /**
     * Term of the entry at {@code index}; for {@code snapshot().index()} the snapshot's term.
     *
     * @throws LogCompactedException if the entry was compacted away
     * @throws LogUnavailableException if the index is past the last entry
     */
    long term(long index);

    /**
     * Entries in {@code [from, to)}, stopping once their total {@link Entry#sizeBytes()} would
     * exceed {@code maxBytes} but always returning at least one entry when the range is non-empty.
     *
     * @throws LogCompactedException if {@code from < firstIndex()}
     * @throws LogUnavailableException if {@code to > lastIndex() + 1}
     */
    List<Entry> entries(long from, long to, long maxBytes);
}
