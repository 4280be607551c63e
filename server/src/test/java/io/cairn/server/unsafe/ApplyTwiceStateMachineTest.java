package io.cairn.server.unsafe;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStateMachine;
import io.cairn.kv.KvStoreOptions;
import io.cairn.kv.Node;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.node.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyTwiceStateMachineTest {
    @TempDir
    Path tmp;

    private final KvCommands commands = KvCommands.systemClock();

    @Test
    void anInOrderPostCreatesTwoKeysAndTheProposerSeesTheFirst() throws Exception {
        try (KvStateMachine store = KvStateMachine.open(KvStoreOptions.defaults(tmp.resolve("kv")))) {
            StateMachine<ApplyResult> twice = new ApplyTwiceStateMachine<>(store);
            List<ApplyResult> results = twice.apply(List.of(
                    Entry.normal(1, 1, commands.createInOrder("/q", "a", false, null)),
                    Entry.normal(1, 2, null),
                    Entry.normal(1, 3, commands.createInOrder("/q", "b", false, null))));

            assertThat(results).hasSize(3);
            assertThat(results.get(0).eventOrThrow().node().createdIndex()).isEqualTo(1);
            assertThat(results.get(2).eventOrThrow().node().createdIndex()).isEqualTo(3);
            assertThat(values(store)).containsExactly("a", "a", "b", "b");
            assertThat(twice.lastAppliedIndex()).isEqualTo(3);
            assertThat(store.lastAppliedIndex()).isEqualTo(6);
        }
    }

    @Test
    void replayAfterARestartIsStillSkipped() throws Exception {
        List<Entry> entries = List.of(Entry.normal(1, 1, commands.createInOrder("/q", "a", false, null)));
        try (KvStateMachine store = KvStateMachine.open(KvStoreOptions.defaults(tmp.resolve("kv")))) {
            new ApplyTwiceStateMachine<>(store).apply(entries);
        }
        try (KvStateMachine store = KvStateMachine.open(KvStoreOptions.defaults(tmp.resolve("kv")))) {
            StateMachine<ApplyResult> twice = new ApplyTwiceStateMachine<>(store);
            assertThat(twice.lastAppliedIndex()).isEqualTo(1);
            twice.apply(entries);
            assertThat(values(store)).containsExactly("a", "a");
        }
    }

    @Test
    void onlyDataIsDoubledAndSnapshotsMapToTheDoubledIndex() throws Exception {
        Recording recording = new Recording();
        ApplyTwiceStateMachine<String> twice = new ApplyTwiceStateMachine<>(recording);
        byte[] change = {1, 2, 3};
        List<String> results = twice.apply(List.of(
                new Entry(2, 5, EntryType.CONFIG_CHANGE, change),
                Entry.normal(2, 6, null),
                Entry.normal(2, 7, new byte[] {9})));

        assertThat(recording.seen).containsExactly(
                "9 NORMAL 0", "10 CONFIG_CHANGE 3",
                "11 NORMAL 0", "12 NORMAL 0",
                "13 NORMAL 1", "14 NORMAL 1");
        assertThat(results).containsExactly("r10", "r12", "r13");
        assertThat(twice.lastAppliedIndex()).isEqualTo(7);

        twice.restore(new SnapshotMetadata(40, 3, ClusterConfig.ofVoters(Set.of(1L))), new ByteArrayInputStream(new byte[0]));
        assertThat(recording.restoredAt).isEqualTo(80);
        assertThat(twice.lastAppliedIndex()).isEqualTo(40);
    }

    private static List<String> values(KvStateMachine store) {
        List<String> out = new ArrayList<>();
        for (Node n : store.get("/q", true, true).node().nodes()) {
            out.add(n.value());
        }
        return out;
    }

    /** Records what it is given; its applied index is simply the last index seen. */
    private static final class Recording implements StateMachine<String> {
        final List<String> seen = new ArrayList<>();
        long applied;
        long restoredAt = -1;

        @Override
        public long lastAppliedIndex() {
            return applied;
        }

        @Override
        public List<String> apply(List<Entry> entries) {
            List<String> results = new ArrayList<>();
            for (Entry e : entries) {
                seen.add(e.index() + " " + e.type() + " " + e.data().length);
                results.add("r" + e.index());
                applied = e.index();
            }
            return results;
        }

        @Override
        public SnapshotSource takeSnapshot() {
            return out -> { };
        }

        @Override
        public void restore(SnapshotMetadata metadata, InputStream data) {
            restoredAt = metadata.index();
            applied = metadata.index();
        }
    }
}
