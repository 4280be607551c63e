package io.cairn.raft.storage;

import io.cairn.raft.core.SnapshotMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Snapshot files with their metadata. A snapshot becomes visible only when its writer is
 * committed (written to a temporary name, forced, renamed), so a crash never leaves a partial one.
 */
public interface SnapshotStore {

    /** The newest committed snapshot, if any. */
    Optional<StoredSnapshot> latest();

    /**
     * Starts writing the snapshot {@code metadata}. Writing the same (term, index) twice is
     * allowed and idempotent: the second commit replaces the first.
     */
    Writer create(SnapshotMetadata metadata) throws IOException;

    /** A committed snapshot. */
    interface StoredSnapshot {
        SnapshotMetadata metadata();

        /** Size of the data in bytes. */
        long sizeBytes();

        /** Opens the data for reading from {@code offset}. */
        InputStream open(long offset) throws IOException;
    }

    /** A snapshot being written; exactly one of {@link #commit()} or {@link #abort()} ends it. */
    interface Writer extends AutoCloseable {
        /** Where to write the data (appending). */
        OutputStream output();

        /** Forces the data, publishes it atomically and deletes older snapshots. */
        StoredSnapshot commit() throws IOException;

        /** Discards the partial data. */
        void abort();

        /** Aborts unless committed. */
        @Override
        void close();
    }
}
