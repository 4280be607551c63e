package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.node.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots are checkpoints streamed as bytes; restore swaps the database and rebuilds state. */
class SnapshotRestoreTest {
    @TempDir
    Path tmp;

    private static void populate(StoreFixture f) {
        KvCommands c = f.commands;
        f.configChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, 0xabcL,
                KvCommands.memberContext(List.of("http://127.0.0.1:2380"), "", List.of())));
        f.apply(c.publishMember(0xabcL, "n1", List.of("http://127.0.0.1:2379")));
        f.apply(c.clusterVersion("3.4.0", 0x1234L));
        for (int i = 0; i < 1100; i++) { // more than the 1000-event history
            f.ok(c.set("/dir" + (i % 7) + "/k" + (i % 50), "v" + i, false, i % 5 == 0 ? 100L : null, false));
        }
        f.ok(c.set("/_hidden/x", "h", false, null, false));
        f.ok(c.createInOrder("/queue", "job", false, null));
        f.ok(c.set("/soon", "gone", false, 1L, false));
        f.clock.advance(Duration.ofSeconds(2));
        f.apply(c.expire());
    }

    private static byte[] snapshot(KvStateMachine store) throws Exception {
        try (StateMachine.SnapshotSource source = store.takeSnapshot()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            source.writeTo(out);
            return out.toByteArray();
        }
    }

    private static SnapshotMetadata meta(long index) {
        return new SnapshotMetadata(index, 1, ClusterConfig.EMPTY);
    }

    @Test
    void restoredStoreAnswersEveryReadIdentically() throws Exception {
        try (StoreFixture source = new StoreFixture(tmp.resolve("a")); StoreFixture target = new StoreFixture(tmp.resolve("b"))) {
            populate(source);
            byte[] data = snapshot(source.store);
            target.ok(target.commands.set("/stale", "x", false, null, false));
            target.store.restore(meta(source.store.lastAppliedIndex()), new ByteArrayInputStream(data));
            target.clock.set(source.clock.instant());

            StoreState expected = StoreState.of(source.store, 60);
            assertThat(StoreState.of(target.store, 60)).isEqualTo(expected);
            assertThat(expected.clearedCause()).startsWith("the requested history has been cleared");
            assertThat(target.store.clusterVersion()).contains("3.4.0");
            assertThat(target.store.clusterId()).isEqualTo(0x1234L);

            // Both continue identically from the same log position.
            target.raftIndex = source.raftIndex;
            for (StoreFixture f : List.of(source, target)) {
                f.clock.advance(Duration.ofSeconds(200));
                f.apply(f.commands.expire());
            }
            assertThat(target.ok(source.commands.createInOrder("/queue", "j2", false, null)))
                    .isEqualTo(source.ok(source.commands.createInOrder("/queue", "j2", false, null)));
            assertThat(StoreState.of(target.store, 30)).isEqualTo(StoreState.of(source.store, 30));

            target.reopen(); // the swap is durable: CURRENT names the restored database
            assertThat(target.store.get("/queue", true, true)).isEqualTo(source.store.get("/queue", true, true));
            try (Stream<Path> dirs = Files.list(tmp.resolve("b"))) {
                assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("db-")))
                        .containsExactly("db-1");
            }
        }
    }

    @Test
    void restoreEndsLiveWatchesAndOldIndexesAreCleared() throws Exception {
        try (StoreFixture source = new StoreFixture(tmp.resolve("a")); StoreFixture target = new StoreFixture(tmp.resolve("b"))) {
            populate(source);
            byte[] data = snapshot(source.store);
            RecordingListener live = new RecordingListener();
            target.store.watch("/x", false, true, 0, live);
            target.store.restore(meta(source.store.lastAppliedIndex()), new ByteArrayInputStream(data));
            await().until(() -> live.closed.get() == WatchListener.CloseReason.STORE_RESTORED);
            assertThat(target.store.stats().watchers()).isZero();
            assertThatThrownBy(() -> target.store.watch("/x", false, false, 5, new RecordingListener()))
                    .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.errorCode()).isEqualTo(401));
        }
    }

    @Test
    void snapshotCapturesTheStateWhenTakenNotWhenWritten() throws Exception {
        try (StoreFixture f = new StoreFixture(tmp.resolve("a")); StoreFixture g = new StoreFixture(tmp.resolve("b"))) {
            f.ok(f.commands.set("/k", "before", false, null, false));
            long at = f.store.lastAppliedIndex();
            try (StateMachine.SnapshotSource source = f.store.takeSnapshot()) {
                f.ok(f.commands.set("/k", "after", false, null, false));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                source.writeTo(out);
                g.store.restore(meta(at), new ByteArrayInputStream(out.toByteArray()));
            }
            assertThat(g.store.get("/k", false, false).node().value()).isEqualTo("before");
            assertThat(g.store.lastAppliedIndex()).isEqualTo(at);
        }
    }

    @Test
    void corruptOrMismatchedSnapshotsAreRejectedAndLeaveTheStoreAsItWas() throws Exception {
        try (StoreFixture source = new StoreFixture(tmp.resolve("a")); StoreFixture target = new StoreFixture(tmp.resolve("b"))) {
            source.ok(source.commands.set("/k", "v", false, null, false));
            byte[] data = snapshot(source.store);
            target.ok(target.commands.set("/mine", "m", false, null, false));

            byte[] corrupt = data.clone();
            corrupt[corrupt.length / 2] ^= 0x5a;
            assertThatThrownBy(() -> target.store.restore(meta(1), new ByteArrayInputStream(corrupt)))
                    .isInstanceOf(IOException.class);
            byte[] truncated = java.util.Arrays.copyOf(data, data.length - 9);
            assertThatThrownBy(() -> target.store.restore(meta(1), new ByteArrayInputStream(truncated)))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> target.store.restore(meta(7), new ByteArrayInputStream(data)))
                    .isInstanceOf(IOException.class);
            assertThat(target.store.get("/mine", false, false).node().value()).isEqualTo("m");
            target.ok(target.commands.set("/still", "writable", false, null, false));
        }
    }
}
