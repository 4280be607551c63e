package io.cairn.raft.transport;

import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.storage.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;

/** A committed snapshot held in memory (test stand-in for the storage module's stores). */
public record BytesSnapshot(SnapshotMetadata metadata, byte[] data) implements SnapshotStore.StoredSnapshot {

    /** {@code size} pseudo-random bytes, so a misplaced chunk shows up as a content mismatch. */
    public static BytesSnapshot random(SnapshotMetadata metadata, int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return new BytesSnapshot(metadata, data);
    }

    @Override
    public long sizeBytes() {
        return data.length;
    }

    @Override
    public InputStream open(long offset) {
        return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
    }
}
