package io.cairn.raft.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.LogCompactedException;
import io.cairn.raft.core.LogUnavailableException;
import io.cairn.raft.core.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link Storage} contract, run against every implementation. */
abstract class StorageContractTest {
    static final ClusterConfig THREE = ClusterConfig.ofVoters(1L, 2L, 3L);

    protected Storage storage;

    /** A fresh, empty store. */
    protected abstract Storage newStorage() throws Exception;

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }

    static Entry entry(long index, long term) {
        return Entry.normal(term, index, ("e" + index + "t" + term).getBytes(StandardCharsets.UTF_8));
    }

    static List<Entry> entries(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(entry(i, term));
        }
        return out;
    }

    static void await(CompletableFuture<Void> f) throws Exception {
        f.get(10, TimeUnit.SECONDS);
    }

    /** Commits snapshot data so a snapshot point at {@code meta} may be installed. */
    static void storeSnapshot(Storage s, SnapshotMetadata meta, byte[] data) throws Exception {
        try (SnapshotStore.Writer w = s.snapshots().create(meta)) {
            w.output().write(data);
            w.commit();
        }
    }

    @Test
    void emptyStoreStartsAtIndexOne() throws Exception {
        storage = newStorage();
        assertThat(storage.firstIndex()).isEqualTo(1);
        assertThat(storage.lastIndex()).isZero();
        assertThat(storage.term(0)).isZero();
        assertThat(storage.hardState()).isEqualTo(HardState.EMPTY);
        assertThat(storage.snapshot()).isEqualTo(SnapshotMetadata.EMPTY);
        assertThat(storage.entries(1, 1, Long.MAX_VALUE)).isEmpty();
        assertThatThrownBy(() -> storage.term(1)).isInstanceOf(LogUnavailableException.class);
    }

    @Test
    void appendedEntriesAreReadBack() throws Exception {
        storage = newStorage();
        List<Entry> written = entries(1, 10, 1);
        written.set(3, new Entry(1, 4, EntryType.CONFIG_CHANGE, new byte[] {1, 2, 3}));
        written.set(4, Entry.normal(1, 5, new byte[0]));
        await(storage.persist(null, written, null));
        assertThat(storage.lastIndex()).isEqualTo(10);
        assertThat(storage.entries(1, 11, Long.MAX_VALUE)).containsExactlyElementsOf(written);
        assertThat(storage.entries(4, 6, Long.MAX_VALUE)).containsExactlyElementsOf(written.subList(3, 5));
        assertThat(storage.term(10)).isEqualTo(1);
        assertThatThrownBy(() -> storage.entries(1, 12, Long.MAX_VALUE)).isInstanceOf(LogUnavailableException.class);
    }

    @Test
    void maxBytesLimitsEntriesButAlwaysReturnsOne() throws Exception {
        storage = newStorage();
        List<Entry> written = entries(1, 10, 1);
        await(storage.persist(null, written, null));
        int size = written.get(0).sizeBytes();
        assertThat(storage.entries(1, 11, 0)).containsExactly(written.get(0));
        assertThat(storage.entries(1, 11, size * 3L)).hasSize(3);
        assertThat(storage.entries(1, 11, size * 3L + size - 1)).hasSize(3);
    }

    @Test
    void conflictingSuffixIsTruncated() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 10, 1), null));
        await(storage.persist(null, entries(6, 7, 2), null));
        assertThat(storage.lastIndex()).isEqualTo(7);
        assertThat(storage.term(5)).isEqualTo(1);
        assertThat(storage.term(6)).isEqualTo(2);
        assertThat(storage.entries(5, 8, Long.MAX_VALUE)).containsExactly(entry(5, 1), entry(6, 2), entry(7, 2));
        assertThatThrownBy(() -> storage.term(8)).isInstanceOf(LogUnavailableException.class);
    }

    @Test
    void appendLeavingAGapFails() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 3, 1), null));
        assertThatThrownBy(() -> await(storage.persist(null, entries(5, 6, 1), null)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        // The store keeps working after a rejected request.
        await(storage.persist(null, entries(4, 4, 1), null));
        assertThat(storage.lastIndex()).isEqualTo(4);
    }

    @Test
    void hardStateIsPersisted() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 3, 2), new HardState(2, 3, 1)));
        assertThat(storage.hardState()).isEqualTo(new HardState(2, 3, 1));
        await(storage.persist(null, List.of(), new HardState(2, 3, 3)));
        assertThat(storage.hardState()).isEqualTo(new HardState(2, 3, 3));
        await(storage.persist(null, List.of(), new HardState(5, 0, 3)));
        assertThat(storage.hardState()).isEqualTo(new HardState(5, 0, 3));
    }

    @Test
    void bootstrapConfigAtIndexZero() throws Exception {
        storage = newStorage();
        SnapshotMetadata founding = new SnapshotMetadata(0, 0, THREE);
        await(storage.persist(founding, List.of(), null));
        assertThat(storage.snapshot()).isEqualTo(founding);
        assertThat(storage.firstIndex()).isEqualTo(1);
        assertThat(storage.lastIndex()).isZero();
        await(storage.persist(null, entries(1, 2, 1), null));
        assertThat(storage.snapshot().config()).isEqualTo(THREE);
    }

    @Test
    void snapshotPointResetsTheLog() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 10, 1), new HardState(1, 1, 5)));
        SnapshotMetadata meta = new SnapshotMetadata(20, 3, THREE);
        storeSnapshot(storage, meta, new byte[] {9, 9});
        await(storage.persist(meta, entries(21, 22, 3), new HardState(3, 0, 20)));
        assertThat(storage.snapshot()).isEqualTo(meta);
        assertThat(storage.firstIndex()).isEqualTo(21);
        assertThat(storage.lastIndex()).isEqualTo(22);
        assertThat(storage.term(20)).isEqualTo(3);
        assertThatThrownBy(() -> storage.term(19)).isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> storage.entries(20, 22, Long.MAX_VALUE)).isInstanceOf(LogCompactedException.class);
        assertThat(storage.entries(21, 23, Long.MAX_VALUE)).containsExactly(entry(21, 3), entry(22, 3));
    }

    @Test
    void snapshotPointInsideTheLogDropsTheWholeLog() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 10, 1), null));
        SnapshotMetadata meta = new SnapshotMetadata(5, 1, THREE);
        storeSnapshot(storage, meta, new byte[] {1});
        await(storage.persist(meta, List.of(), null));
        assertThat(storage.firstIndex()).isEqualTo(6);
        assertThat(storage.lastIndex()).isEqualTo(5);
    }

    @Test
    void snapshotPointWithoutStoredDataIsRejected() throws Exception {
        storage = newStorage();
        assertThatThrownBy(() -> await(storage.persist(new SnapshotMetadata(7, 1, THREE), List.of(), null)))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(storage.snapshot()).isEqualTo(SnapshotMetadata.EMPTY);
    }

    @Test
    void compactionMovesTheFirstIndexAndAdoptsTheStoredSnapshot() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 100, 1), null));
        SnapshotMetadata meta = new SnapshotMetadata(80, 1, THREE);
        storeSnapshot(storage, meta, new byte[] {4});
        storage.compact(60);
        assertThat(storage.firstIndex()).isEqualTo(61);
        assertThat(storage.snapshot()).isEqualTo(meta);
        assertThat(storage.term(60)).isEqualTo(1); // the entry before the first stays answerable
        assertThatThrownBy(() -> storage.term(59)).isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> storage.entries(60, 62, Long.MAX_VALUE)).isInstanceOf(LogCompactedException.class);
        assertThat(storage.entries(61, 101, Long.MAX_VALUE)).hasSize(40);
        storage.compact(50); // already compacted: no-op
        assertThat(storage.firstIndex()).isEqualTo(61);
        assertThatThrownBy(() -> storage.compact(81)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactionWithoutSnapshotIsRejected() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 10, 1), null));
        assertThatThrownBy(() -> storage.compact(5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.firstIndex()).isEqualTo(1);
    }

    @Test
    void appendAfterCompactionSkipsCompactedEntries() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 10, 1), null));
        storeSnapshot(storage, new SnapshotMetadata(8, 1, THREE), new byte[0]);
        storage.compact(8);
        await(storage.persist(null, entries(7, 12, 1), null));
        assertThat(storage.firstIndex()).isEqualTo(9);
        assertThat(storage.entries(9, 13, Long.MAX_VALUE)).containsExactlyElementsOf(entries(9, 12, 1));
    }

    @Test
    void writesArePerformedInCallOrder() throws Exception {
        storage = newStorage();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            futures.add(storage.persist(null, List.of(entry(i, 1)), new HardState(1, 0, i - 1)));
        }
        await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
        assertThat(storage.lastIndex()).isEqualTo(200);
        assertThat(storage.hardState().commit()).isEqualTo(199);
        assertThat(storage.entries(1, 201, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 200, 1));
    }

    @Test
    void concurrentReadersSeeAConsistentLogDuringWrites() throws Exception {
        storage = newStorage();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    readWholeLog();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        long term = 1;
        for (int round = 0; round < 30; round++) {
            await(storage.persist(null, entries(round * 10L + 1, round * 10L + 20, term), null));
        }
        done.set(true);
        reader.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(storage.lastIndex()).isEqualTo(310);
    }

    private void readWholeLog() {
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        if (last < first) {
            return;
        }
        List<Entry> read;
        try {
            read = storage.entries(first, last + 1, Long.MAX_VALUE);
        } catch (LogUnavailableException raced) {
            return; // a truncation between lastIndex() and entries() is legitimate
        }
        assertThat(read).hasSize((int) (last - first + 1));
        for (Entry e : read) {
            assertThat(e.data()).isEqualTo(entry(e.index(), e.term()).data());
        }
    }
}
