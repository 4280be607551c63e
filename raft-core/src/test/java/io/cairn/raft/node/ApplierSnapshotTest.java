package io.cairn.raft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.storage.MemoryStorage;
import io.cairn.raft.transport.memory.InMemoryNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The apply thread's snapshot schedule. The snapshot writer is held on a latch, so "a write is
 * still running when the next batch is applied" happens every time rather than under load only.
 */
class ApplierSnapshotTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final ClusterConfig MEMBERS = ClusterConfig.ofVoters(1L, 2L, 3L);

    private final MemoryStorage storage = new MemoryStorage();
    private final InMemoryNetwork network = new InMemoryNetwork();
    private final SnapshotManager snapshots = new SnapshotManager(1, storage, network.transport(1), 2);
    private final GatedMachine machine = new GatedMachine();
    private final AtomicLong reportedApplied = new AtomicLong();
    private Applier<String> applier;

    @AfterEach
    void tearDown() throws InterruptedException {
        machine.release();
        if (applier != null) {
            applier.stop(10_000);
        }
        snapshots.close();
        network.close();
    }

    private void startApplier(long snapshotEveryEntries) {
        storage.persist(new SnapshotMetadata(0, 0, MEMBERS), List.of(), null).join();
        ProposalTracker<String> proposals = new ProposalTracker<>(1, 1, 100, TimeUnit.SECONDS.toNanos(10),
                System::nanoTime, latencyNanos -> { });
        applier = new Applier<>("apply-test", machine, proposals, new MembershipTracker(), snapshots,
                new NodeMetrics(null, 1), new Applier.Callbacks() {
                    @Override
                    public void applied(long index) {
                        reportedApplied.set(index);
                    }

                    @Override
                    public void failed(Throwable error) {
                        throw new AssertionError("apply failed", error);
                    }
                }, snapshotEveryEntries, storage.snapshot(), 0, 0, MEMBERS);
        applier.start();
    }

    /** Entries {@code from..to}, persisted (so compaction may drop them) and handed to the applier. */
    private void commit(long from, long to) {
        List<Entry> entries = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            entries.add(Entry.normal(1, i, ("c" + i).getBytes(StandardCharsets.UTF_8)));
        }
        storage.persist(null, entries, null).join();
        applier.apply(entries);
    }

    private long latestStoredSnapshot() {
        return storage.snapshots().latest().map(s -> s.metadata().index()).orElse(0L);
    }

    @Test
    void aSnapshotDueWhileAnotherIsBeingWrittenIsTakenOnceThatWriteEnds() {
        startApplier(10);
        commit(1, 10);
        // The snapshot at 10 is being written, and stays so until released.
        await().atMost(DEADLINE).until(machine::writing);
        commit(11, 25);
        await().atMost(DEADLINE).until(() -> reportedApplied.get() == 25);

        machine.release();

        // No entry is applied after 25, yet 15 entries past the last snapshot are due one: an idle
        // node must still snapshot and compact, or a lagging follower's catch-up never starts.
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(latestStoredSnapshot()).isEqualTo(25));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(storage.firstIndex()).isEqualTo(24));
    }

    @Test
    void aSnapshotThatIsNotDueIsNotTakenWhenTheWriteEnds() {
        startApplier(10);
        commit(1, 10);
        await().atMost(DEADLINE).until(machine::writing);
        commit(11, 15);
        await().atMost(DEADLINE).until(() -> reportedApplied.get() == 15);

        machine.release();

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(storage.firstIndex()).isEqualTo(9));
        commit(16, 20);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(latestStoredSnapshot()).isEqualTo(20));
        assertThat(machine.snapshotsTaken()).isEqualTo(2);
    }

    /** Applies anything; its snapshot sources block until {@link #release()}. */
    private static final class GatedMachine implements StateMachine<String> {
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile long applied;
        private volatile boolean writing;
        private volatile int snapshotsTaken;

        @Override
        public long lastAppliedIndex() {
            return applied;
        }

        @Override
        public List<String> apply(List<Entry> entries) {
            applied = entries.get(entries.size() - 1).index();
            return new ArrayList<>(Collections.nCopies(entries.size(), null));
        }

        @Override
        public SnapshotSource takeSnapshot() {
            snapshotsTaken++;
            long at = applied;
            return out -> {
                writing = true;
                try {
                    if (!gate.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IOException("gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                out.write(Long.toString(at).getBytes(StandardCharsets.UTF_8));
            };
        }

        @Override
        public void restore(SnapshotMetadata metadata, InputStream data) {
            throw new UncheckedIOException(new IOException("not used"));
        }

        boolean writing() {
            return writing;
        }

        int snapshotsTaken() {
            return snapshotsTaken;
        }

        void release() {
            gate.countDown();
        }
    }
}
