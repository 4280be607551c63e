package io.cairn.raft.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.SnapshotMetadata;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@link SnapshotStore} contract, run against every implementation. */
abstract class SnapshotStoreContractTest {
    static final ClusterConfig CONFIG = new ClusterConfig(java.util.Set.of(1L, 2L), java.util.Set.of(9L));

    protected abstract SnapshotStore newStore() throws Exception;

    static byte[] data(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static SnapshotStore.StoredSnapshot write(SnapshotStore store, SnapshotMetadata meta, byte[] data)
            throws Exception {
        try (SnapshotStore.Writer w = store.create(meta)) {
            w.output().write(data, 0, data.length / 2);
            w.output().write(data, data.length / 2, data.length - data.length / 2);
            return w.commit();
        }
    }

    static byte[] read(SnapshotStore.StoredSnapshot s, long offset) throws Exception {
        try (InputStream in = s.open(offset)) {
            return in.readAllBytes();
        }
    }

    @Test
    void committedSnapshotIsReadBackFromAnyOffset() throws Exception {
        SnapshotStore store = newStore();
        assertThat(store.latest()).isEmpty();
        byte[] bytes = data(200_000, 1);
        SnapshotMetadata meta = new SnapshotMetadata(10, 2, CONFIG);
        write(store, meta, bytes);
        SnapshotStore.StoredSnapshot latest = store.latest().orElseThrow();
        assertThat(latest.metadata()).isEqualTo(meta);
        assertThat(latest.sizeBytes()).isEqualTo(bytes.length);
        assertThat(read(latest, 0)).isEqualTo(bytes);
        assertThat(read(latest, 150_000)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 150_000, bytes.length));
        assertThat(read(latest, bytes.length)).isEmpty();
    }

    @Test
    void abortedSnapshotNeverBecomesVisible() throws Exception {
        SnapshotStore store = newStore();
        try (SnapshotStore.Writer w = store.create(new SnapshotMetadata(5, 1, CONFIG))) {
            w.output().write(data(100, 2));
        }
        assertThat(store.latest()).isEmpty();
    }

    @Test
    void writingTheSameSnapshotAgainReplacesIt() throws Exception {
        SnapshotStore store = newStore();
        SnapshotMetadata meta = new SnapshotMetadata(10, 2, CONFIG);
        write(store, meta, data(100, 3));
        write(store, meta, data(120, 4));
        assertThat(read(store.latest().orElseThrow(), 0)).isEqualTo(data(120, 4));
    }

    @Test
    void newestSnapshotWinsAndOldOnesArePruned() throws Exception {
        SnapshotStore store = newStore();
        SnapshotStore.StoredSnapshot first = write(store, new SnapshotMetadata(10, 1, CONFIG), data(10, 5));
        write(store, new SnapshotMetadata(20, 1, CONFIG), data(10, 6));
        write(store, new SnapshotMetadata(30, 2, CONFIG), data(10, 7));
        assertThat(store.latest().orElseThrow().metadata().index()).isEqualTo(30);
        assertThat(retained(store)).isEqualTo(2);
        assertThat(first.metadata().index()).isEqualTo(10);
    }

    /** How many snapshots the store still holds. */
    protected abstract int retained(SnapshotStore store) throws Exception;
}
