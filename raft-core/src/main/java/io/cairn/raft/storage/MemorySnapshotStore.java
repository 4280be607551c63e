package io.cairn.raft.storage;

import io.cairn.raft.core.SnapshotMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SnapshotStore} held in memory, for tests and simulations. Thread-safe. Like the file
 * store it keeps the newest {@value #KEEP} snapshots and makes a snapshot visible only on commit.
 */
public final class MemorySnapshotStore implements SnapshotStore {
    static final int KEEP = 2;

    private final List<MemorySnapshot> committed = new ArrayList<>();

    @Override
    public synchronized Optional<StoredSnapshot> latest() {
        return committed.isEmpty() ? Optional.empty() : Optional.of(committed.get(committed.size() - 1));
    }

    /** How many snapshots are held. */
    synchronized int size() {
        return committed.size();
    }

    @Override
    public Writer create(SnapshotMetadata metadata) {
        return new MemoryWriter(metadata);
    }

    private synchronized StoredSnapshot publish(MemorySnapshot snapshot) {
        // Same (term, index) again replaces the earlier copy: a retried install is idempotent.
        committed.removeIf(s -> s.metadata.index() == snapshot.metadata.index()
                && s.metadata.term() == snapshot.metadata.term());
        committed.add(snapshot);
        committed.sort(Comparator.comparingLong((MemorySnapshot s) -> s.metadata.index())
                .thenComparingLong(s -> s.metadata.term()));
        while (committed.size() > KEEP) {
            committed.remove(0);
        }
        return snapshot;
    }

    private record MemorySnapshot(SnapshotMetadata metadata, byte[] data) implements StoredSnapshot {
        @Override
        public long sizeBytes() {
            return data.length;
        }

        @Override
        public InputStream open(long offset) {
            if (offset < 0 || offset > data.length) {
                throw new IllegalArgumentException("offset " + offset + " outside [0, " + data.length + "]");
            }
            return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
        }
    }

    private final class MemoryWriter implements Writer {
        private final SnapshotMetadata metadata;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean finished;

        MemoryWriter(SnapshotMetadata metadata) {
            this.metadata = metadata;
        }

        @Override
        public OutputStream output() {
            return buffer;
        }

        @Override
        public StoredSnapshot commit() throws IOException {
            if (finished) {
                throw new IOException("snapshot writer already finished");
            }
            finished = true;
            return publish(new MemorySnapshot(metadata, buffer.toByteArray()));
        }

        @Override
        public void abort() {
            finished = true;
        }

        @Override
        public void close() {
            abort();
        }
    }
}
