package io.cairn.raft.node;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.SnapshotMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The replicated application. Called on one apply thread, in log order. Applying must be
 * deterministic: it may not read clocks, random sources or local configuration.
 *
 * @param <R> the result of applying one command, returned to the proposer's future
 */
public interface StateMachine<R> {

    /**
     * The index of the last entry whose effects are durable here, 0 if none. After a restart the
     * node replays the log from the next index, so an implementation that records this index
     * atomically with its effects gets exactly-once application.
     */
    long lastAppliedIndex();

    /**
     * Applies committed entries, in order. Every entry is passed: {@code NORMAL} entries with an
     * empty payload are leader no-ops, {@code CONFIG_CHANGE} entries carry an encoded
     * {@link io.cairn.raft.core.ConfigChange} (already in force in the core).
     *
     * @return one result per entry, in order (null where there is none)
     */
    List<R> apply(List<Entry> entries);

    /**
     * Captures the state as of {@link #lastAppliedIndex()}. Called on the apply thread; the
     * returned source may be written later on another thread while application continues.
     */
    SnapshotSource takeSnapshot() throws IOException;

    /** Replaces the whole state with a snapshot covering every entry up to {@code metadata.index()}. */
    void restore(SnapshotMetadata metadata, InputStream data) throws IOException;

    /** A captured state waiting to be written out. */
    interface SnapshotSource extends AutoCloseable {
        /** Writes the captured state. */
        void writeTo(OutputStream out) throws IOException;

        /** Releases what the capture holds (for example a checkpoint directory). */
        @Override
        default void close() throws IOException {
        }
    }
}
