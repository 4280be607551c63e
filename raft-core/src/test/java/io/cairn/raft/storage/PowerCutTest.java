package io.cairn.raft.storage;

import static io.cairn.raft.storage.StorageContractTest.THREE;
import static io.cairn.raft.storage.StorageContractTest.entries;
import static io.cairn.raft.storage.StorageContractTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Power cuts: the file store runs on {@link PowerCutFileSystem}, which keeps only forced bytes
 * (and, in torn mode, a random part of the unforced ones) when "power is lost". After reopening,
 * everything acknowledged must be intact and the rest must be a clean state the interrupted
 * request could have produced.
 */
class PowerCutTest {
    private static final Path DIR = Path.of("/cairn/data");

    /** A step of the workload: blocks until its write is acknowledged. */
    private interface Step {
        void run(Storage s) throws Exception;

        /** A write the store may acknowledge before it is forced (see {@link Storage#persist}). */
        default boolean onlyMovesCommit() {
            return false;
        }
    }

    private static FileStorageOptions options(FileIO io) {
        return FileStorageOptions.builder().segmentBytes(4096).tailCacheBytes(512).fileIO(io).build();
    }

    private static Step persist(SnapshotMetadata snapshot, List<Entry> entries, HardState hs) {
        return s -> s.persist(snapshot, entries, hs).get(10, TimeUnit.SECONDS);
    }

    private static Step moveCommit(HardState hs) {
        return new Step() {
            @Override
            public void run(Storage s) throws Exception {
                s.persist(null, List.of(), hs).get(10, TimeUnit.SECONDS);
            }

            @Override
            public boolean onlyMovesCommit() {
                return true;
            }
        };
    }

    private static Step install(SnapshotMetadata meta, List<Entry> entries, HardState hs) {
        return s -> {
            StorageContractTest.storeSnapshot(s, meta, new byte[] {(byte) meta.index()});
            s.persist(meta, entries, hs).get(10, TimeUnit.SECONDS);
        };
    }

    private static Step compact(SnapshotMetadata meta, long index) {
        return s -> {
            StorageContractTest.storeSnapshot(s, meta, new byte[] {(byte) meta.index()});
            if (s instanceof FileStorage f) {
                f.compactAsync(index).get(10, TimeUnit.SECONDS);
            } else {
                s.compact(index);
            }
        };
    }

    /**
     * Bootstrap, appends across segments, commit-only writes, a leader change that truncates
     * across segments, a snapshot install, compaction.
     */
    private static List<Step> workload() {
        List<Step> steps = new ArrayList<>();
        steps.add(persist(new SnapshotMetadata(0, 0, THREE), List.of(), null));
        steps.add(persist(null, entries(1, 40, 1), new HardState(1, 1, 0)));
        for (long i = 41; i <= 120; i += 20) {
            steps.add(persist(null, entries(i, i + 19, 1), new HardState(1, 1, i - 10)));
        }
        steps.add(moveCommit(new HardState(1, 1, 95)));
        steps.add(persist(null, entries(121, 400, 1), new HardState(1, 1, 95)));
        // A new leader cuts back across segments: later segments are deleted, an earlier one cut.
        steps.add(persist(null, entries(100, 104, 2), new HardState(2, 2, 95)));
        steps.add(persist(null, List.of(), new HardState(3, 3, 95)));
        steps.add(install(new SnapshotMetadata(150, 3, THREE), entries(151, 170, 3), new HardState(3, 3, 150)));
        steps.add(persist(null, entries(171, 300, 3), new HardState(3, 3, 290)));
        steps.add(compact(new SnapshotMetadata(280, 3, THREE), 260));
        steps.add(persist(null, entries(301, 310, 3), new HardState(3, 3, 305)));
        steps.add(moveCommit(new HardState(3, 3, 308)));
        steps.add(moveCommit(new HardState(3, 3, 310)));
        steps.add(persist(null, entries(311, 312, 3), null));
        return steps;
    }

    /** What a store holds after each prefix of the workload (from MemoryStorage, the reference). */
    private record Model(Map<Long, Entry> log, long last, HardState hardState, SnapshotMetadata snapshot) {
        static Model of(Storage s) {
            Map<Long, Entry> log = new HashMap<>();
            for (Entry e : s.entries(s.firstIndex(), s.lastIndex() + 1, Long.MAX_VALUE)) {
                log.put(e.index(), e);
            }
            return new Model(log, s.lastIndex(), s.hardState(), s.snapshot());
        }
    }

    private static List<Model> models(List<Step> steps) throws Exception {
        List<Model> models = new ArrayList<>();
        MemoryStorage reference = new MemoryStorage();
        models.add(Model.of(reference));
        for (Step step : steps) {
            step.run(reference);
            models.add(Model.of(reference));
        }
        return models;
    }

    @Test
    void everyCrashPointRecoversToAnAcknowledgedState() throws Exception {
        List<Step> steps = workload();
        List<Model> models = models(steps);
        long totalOperations = runUncrashed(steps);
        assertThat(totalOperations).isGreaterThan(50);
        Random random = new Random(42);
        for (long op = 1; op <= totalOperations; op++) {
            for (boolean torn : new boolean[] {false, true}) {
                PowerCutFileSystem fs = new PowerCutFileSystem();
                AtomicInteger completed = new AtomicInteger();
                AtomicInteger completedAtCrash = new AtomicInteger(-1);
                fs.captureBeforeOperation(op, torn ? random : null, () -> completedAtCrash.set(completed.get()));
                try (FileStorage storage = FileStorage.open(DIR, options(fs))) {
                    for (Step step : steps) {
                        step.run(storage);
                        completed.incrementAndGet();
                    }
                }
                PowerCutFileSystem image = fs.capturedImage();
                if (image == null) {
                    continue;
                }
                int k = completedAtCrash.get();
                String where = "crash before operation " + op + (torn ? " (torn)" : "") + " after " + k + " steps";
                checkRecovered(image, models, forcedCommit(steps, models, k), k, where);
            }
        }
    }

    private static long runUncrashed(List<Step> steps) throws Exception {
        PowerCutFileSystem fs = new PowerCutFileSystem();
        try (FileStorage storage = FileStorage.open(DIR, options(fs))) {
            for (Step step : steps) {
                step.run(storage);
            }
        }
        return fs.operations();
    }

    /**
     * The recovered store must hold everything of {@code done} (the acknowledged state) except
     * what the interrupted request {@code next} legitimately replaces, and nothing that is in
     * neither.
     */
    /**
     * The commit index the store must keep after {@code k} acknowledged steps: that of the last
     * step it had to force, since a write that only moves the commit may be acknowledged unforced.
     */
    private static long forcedCommit(List<Step> steps, List<Model> models, int k) {
        int j = k;
        while (j > 0 && steps.get(j - 1).onlyMovesCommit()) {
            j--;
        }
        return models.get(j).hardState().commit();
    }

    private static void checkRecovered(PowerCutFileSystem image, List<Model> models, long forcedCommit, int k,
            String where) throws Exception {
        Model done = models.get(k);
        Model next = models.get(Math.min(k + 1, models.size() - 1));
        try (FileStorage recovered = FileStorage.open(DIR, options(image))) {
            SnapshotMetadata snapshot = recovered.snapshot();
            assertThat(snapshot).as(where).isIn(done.snapshot(), next.snapshot());
            HardState hs = recovered.hardState();
            assertThat(hs.term()).as(where).isIn(done.hardState().term(), next.hardState().term());
            assertThat(hs.commit()).as(where).isGreaterThanOrEqualTo(forcedCommit);
            assertThat(recovered.firstIndex() - 1).as(where).isLessThanOrEqualTo(snapshot.index());
            long previousTerm = 0;
            for (long i = recovered.firstIndex(); i <= recovered.lastIndex(); i++) {
                Entry e = recovered.entries(i, i + 1, Long.MAX_VALUE).get(0);
                if (done.log().containsKey(i) || next.log().containsKey(i)) {
                    assertThat(e).as(where + " entry " + i).isIn(done.log().get(i), next.log().get(i));
                } else {
                    // Compacted in the reference but still on disk (segments go whole): it must be
                    // what the log held before compaction.
                    assertThat(e).as(where + " compacted entry " + i).isEqualTo(lastKnown(models, k, i));
                }
                assertThat(e.term()).as(where + " terms along the log").isGreaterThanOrEqualTo(previousTerm);
                assertThat(e.term()).as(where + " durable term covers the log").isLessThanOrEqualTo(hs.term());
                previousTerm = e.term();
            }
            if (snapshot.equals(done.snapshot()) && done.snapshot().equals(next.snapshot())) {
                // No install in flight: acknowledged entries survive up to where `next` rewrites.
                long rewriteFrom = firstDifference(done, next);
                long mustHave = Math.min(done.last(), rewriteFrom - 1);
                assertThat(recovered.lastIndex()).as(where).isGreaterThanOrEqualTo(mustHave);
                for (long i = Math.max(recovered.firstIndex(), snapshot.index() + 1); i <= mustHave; i++) {
                    assertThat(recovered.entries(i, i + 1, Long.MAX_VALUE).get(0)).as(where).isEqualTo(done.log().get(i));
                }
            }
            // The recovered store keeps working.
            long last = recovered.lastIndex();
            recovered.persist(null, List.of(entry(last + 1, hs.term())), null).get(10, TimeUnit.SECONDS);
            assertThat(recovered.lastIndex()).isEqualTo(last + 1);
        }
    }

    private static Entry lastKnown(List<Model> models, int k, long index) {
        for (int j = k; j >= 0; j--) {
            if (models.get(j).log().containsKey(index)) {
                return models.get(j).log().get(index);
            }
        }
        return null;
    }

    private static long firstDifference(Model a, Model b) {
        for (long i = 1; i <= Math.max(a.last(), b.last()); i++) {
            Entry x = a.log().get(i);
            Entry y = b.log().get(i);
            if (x != null && y != null && !x.equals(y) || x == null && y != null && i <= a.last()) {
                return i;
            }
            if (x != null && y == null && i <= b.last()) {
                return i;
            }
        }
        return Long.MAX_VALUE;
    }

    @Test
    void concurrentGroupCommitLosesNothingAcknowledged() throws Exception {
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            PowerCutFileSystem fs = new PowerCutFileSystem();
            AtomicLong acknowledged = new AtomicLong();
            int crashAfter = 20 + random.nextInt(300);
            PowerCutFileSystem image;
            long acknowledgedAtCrash;
            try (FileStorage storage = FileStorage.open(DIR, options(fs))) {
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (long i = 1; i <= 400; i++) {
                    long index = i;
                    futures.add(storage.persist(null, List.of(entry(i, 1)), new HardState(1, 0, i - 1))
                            .thenRun(() -> acknowledged.accumulateAndGet(index, Math::max)));
                    if (i == crashAfter) {
                        // Read the acknowledgements first: all of them were forced before the image.
                        acknowledgedAtCrash = acknowledged.get();
                        image = fs.crashImage(seed % 2 == 0 ? random : null);
                        checkAfterConcurrentCrash(image, acknowledgedAtCrash, "seed " + seed);
                    }
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void checkAfterConcurrentCrash(PowerCutFileSystem image, long acknowledged, String where)
            throws Exception {
        try (FileStorage recovered = FileStorage.open(DIR, options(image))) {
            assertThat(recovered.lastIndex()).as(where).isGreaterThanOrEqualTo(acknowledged);
            assertThat(recovered.entries(1, recovered.lastIndex() + 1, Long.MAX_VALUE)).as(where)
                    .containsExactlyElementsOf(entries(1, recovered.lastIndex(), 1));
            assertThat(recovered.hardState().commit()).as(where).isGreaterThanOrEqualTo(Math.max(0, acknowledged - 1));
        }
    }
}
