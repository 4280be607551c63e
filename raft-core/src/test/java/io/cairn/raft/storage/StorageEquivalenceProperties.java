package io.cairn.raft.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Differential test: random sequences of appends (with overwrites), hard-state changes, snapshot
 * installs, compactions and (for the file store) restarts leave FileStorage and MemoryStorage
 * showing the same log, hard state and snapshot point.
 */
class StorageEquivalenceProperties {
    private static final ClusterConfig CONFIG = ClusterConfig.ofVoters(1L, 2L, 3L);

    enum Kind { APPEND, HARD_STATE, INSTALL, COMPACT, RESTART }

    record Op(Kind kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(Kind.APPEND)), Tuple.of(3, Arbitraries.just(Kind.HARD_STATE)),
                Tuple.of(1, Arbitraries.just(Kind.INSTALL)), Tuple.of(2, Arbitraries.just(Kind.COMPACT)),
                Tuple.of(2, Arbitraries.just(Kind.RESTART)));
        Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 40)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 25)
    void fileAndMemoryStoresAgree(@ForAll("operations") List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("cairn-equivalence");
        FileStorageOptions options = FileStorageOptions.builder().segmentBytes(4096).tailCacheBytes(2048).build();
        MemoryStorage memory = new MemoryStorage();
        FileStorage file = FileStorage.open(dir, options);
        long term = 1;
        try {
            for (Op op : ops) {
                switch (op.kind()) {
                    case APPEND -> {
                        long from = Math.max(memory.firstIndex(), memory.lastIndex() + 1 - op.a() % 8);
                        if (op.b() % 4 == 0) {
                            term++; // a new leader overwrites the suffix
                        }
                        List<Entry> entries = new ArrayList<>();
                        for (long i = from; i < from + 1 + op.b(); i++) {
                            entries.add(Entry.normal(term, i, ("v" + i + "/" + term + "/" + op.a()).getBytes()));
                        }
                        both(memory, file, null, entries, null);
                    }
                    case HARD_STATE -> {
                        long commit = Math.min(memory.lastIndex(),
                                Math.max(memory.hardState().commit(), memory.lastIndex() - op.a()));
                        both(memory, file, null, List.of(), new HardState(term, op.b() % 4, commit));
                    }
                    case INSTALL -> {
                        term++;
                        SnapshotMetadata meta = new SnapshotMetadata(memory.lastIndex() + op.a() % 5, term, CONFIG);
                        if (meta.index() > memory.snapshot().index()) {
                            store(memory, meta);
                            store(file, meta);
                            both(memory, file, meta, List.of(), new HardState(term, 0, meta.index()));
                        }
                    }
                    case COMPACT -> {
                        // The runtime snapshots applied, hence committed, entries only.
                        long at = Math.min(memory.hardState().commit(), memory.lastIndex() - op.a() % 10);
                        if (at >= memory.firstIndex()) {
                            SnapshotMetadata meta = new SnapshotMetadata(at, memory.term(at), CONFIG);
                            store(memory, meta);
                            store(file, meta);
                            long index = at - op.b() % 5;
                            if (index >= memory.firstIndex()) {
                                memory.compact(index);
                                file.compactAsync(index).get(10, TimeUnit.SECONDS);
                            }
                        }
                    }
                    case RESTART -> {
                        file.close();
                        file = FileStorage.open(dir, options);
                    }
                    default -> throw new IllegalStateException();
                }
                assertSame(memory, file, op);
            }
        } finally {
            file.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void both(Storage a, Storage b, SnapshotMetadata snapshot, List<Entry> entries, HardState hs)
            throws Exception {
        a.persist(snapshot, entries, hs).get(10, TimeUnit.SECONDS);
        b.persist(snapshot, entries, hs).get(10, TimeUnit.SECONDS);
    }

    private static void store(Storage s, SnapshotMetadata meta) throws Exception {
        StorageContractTest.storeSnapshot(s, meta, new byte[] {(byte) meta.index()});
    }

    private static void assertSame(MemoryStorage memory, FileStorage file, Op after) {
        String where = "after " + after;
        assertThat(file.lastIndex()).as(where).isEqualTo(memory.lastIndex());
        assertThat(file.hardState()).as(where).isEqualTo(memory.hardState());
        assertThat(file.snapshot()).as(where).isEqualTo(memory.snapshot());
        // After a restart the file store may start earlier (it deletes whole segments only).
        assertThat(file.firstIndex()).as(where).isLessThanOrEqualTo(memory.firstIndex());
        long first = memory.firstIndex();
        assertThat(file.term(first - 1)).as(where).isEqualTo(memory.term(first - 1));
        assertThat(file.entries(first, memory.lastIndex() + 1, Long.MAX_VALUE)).as(where)
                .containsExactlyElementsOf(memory.entries(first, memory.lastIndex() + 1, Long.MAX_VALUE));
        assertThat(file.entries(first, memory.lastIndex() + 1, 300)).as(where)
                .containsExactlyElementsOf(memory.entries(first, memory.lastIndex() + 1, 300));
    }
}
