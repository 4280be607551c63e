package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.core.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A crash at any point of applying a batch, then reopen and replay of the whole log from the
 * start, gives the state of a store that never crashed: nothing skipped, nothing applied twice.
 * In-order creates and compare-and-swaps make a double application visible.
 */
class CrashReplayTest {
    @TempDir
    Path tmp;

    private static List<List<Entry>> log(KvCommands c) {
        List<List<Entry>> batches = new ArrayList<>();
        long index = 0;
        for (int b = 0; b < 12; b++) {
            List<Entry> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] cmd = switch ((b * 4 + i) % 4) {
                    case 0 -> c.createInOrder("/queue", "job" + b + "-" + i, false, null);
                    case 1 -> c.set("/counter", "" + b, false, null, false);
                    case 2 -> c.compareAndSwap("/counter", "" + b + "!", null, false, "" + b, 0);
                    default -> c.set("/ttl/" + b, "t", false, (long) b, false);
                };
                batch.add(Entry.normal(1, ++index, cmd));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static StoreState reference(Path dir, List<List<Entry>> batches) {
        try (StoreFixture f = new StoreFixture(dir)) {
            batches.forEach(f.store::apply);
            return StoreState.of(f.store, 60);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"before", "after"})
    void crashDuringAnyBatchThenFullReplayMatchesAStoreThatNeverCrashed(String when) {
        StoreFixture clockSource = new StoreFixture(tmp.resolve("clock"));
        List<List<Entry>> batches = log(clockSource.commands);
        clockSource.close();
        StoreState expected = reference(tmp.resolve("ref"), batches);

        for (int crashAt = 0; crashAt < batches.size(); crashAt += 4) {
            Path dir = tmp.resolve(when + crashAt);
            long crashIndex = batches.get(crashAt).get(3).index();
            try (StoreFixture f = new StoreFixture(dir)) {
                f.store.setFailpoint(new KvStateMachine.Failpoint() {
                    @Override
                    public void beforeCommit(long last) {
                        if (when.equals("before") && last == crashIndex) {
                            throw new SimulatedCrash();
                        }
                    }

                    @Override
                    public void afterCommit(long last) {
                        if (when.equals("after") && last == crashIndex) {
                            throw new SimulatedCrash();
                        }
                    }
                });
                for (int b = 0; b <= crashAt; b++) {
                    List<Entry> batch = batches.get(b);
                    if (b < crashAt) {
                        f.store.apply(batch);
                    } else {
                        assertThatThrownBy(() -> f.store.apply(batch)).isInstanceOf(SimulatedCrash.class);
                    }
                }
                f.reopen(); // the process "restarts" from what reached RocksDB
                long durable = f.store.lastAppliedIndex();
                assertThat(durable).isEqualTo(when.equals("after") ? crashIndex : crashIndex - 4);
                for (List<Entry> batch : batches) { // raft replays; already-applied entries are skipped
                    List<ApplyResult> results = f.store.apply(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        if (batch.get(i).index() <= durable) {
                            assertThat(results.get(i)).isNull();
                        }
                    }
                }
                assertThat(StoreState.of(f.store, 60)).isEqualTo(expected);
            }
        }
    }

    @Test
    void replayOfAnAlreadyAppliedBatchChangesNothing() {
        try (StoreFixture f = new StoreFixture(tmp.resolve("x"))) {
            List<Entry> batch = List.of(Entry.normal(1, 1, f.commands.createInOrder("/q", "a", false, null)));
            f.store.apply(batch);
            assertThat(f.store.apply(batch)).containsExactly((ApplyResult) null);
            assertThat(f.store.get("/q", true, true).node().nodes()).hasSize(1);
            assertThat(f.store.etcdIndex()).isEqualTo(1);
        }
    }

    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
