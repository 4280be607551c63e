package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.node.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The apply path's cache of committed nodes never answers with state the database does not hold:
 * not with a batch that failed before it was written, not with nodes a restore replaced, and not
 * when it is too small to hold the nodes a write touches.
 */
class CommittedNodeCacheTest {
    @TempDir
    Path tmp;

    @Test
    void aBatchThatFailedBeforeItWasWrittenLeavesNothingBehind() {
        try (StoreFixture f = new StoreFixture(tmp)) {
            KvCommands c = f.commands;
            f.ok(c.set("/dir/a", "1", false, null, false));
            f.store.setFailpoint(new KvStateMachine.Failpoint() {
                @Override
                public void beforeCommit(long last) {
                    throw new IllegalStateException("simulated failure before the write");
                }
            });
            long before = f.raftIndex;
            assertThatThrownBy(() -> f.applyAll(List.of(c.set("/dir/a", "2", false, null, false),
                    c.delete("/dir", true, true)))).isInstanceOf(IllegalStateException.class);
            f.store.setFailpoint(new KvStateMachine.Failpoint() { });
            f.raftIndex = before; // raft hands the same entries again

            Event swapped = f.ok(c.compareAndSwap("/dir/a", "3", null, false, "1", 0));
            assertThat(swapped.prevNode().value()).isEqualTo("1");
            assertThat(f.store.get("/dir/a", false, false).node().value()).isEqualTo("3");
        }
    }

    @Test
    void aRestoreReplacesWhatTheCacheHeld() throws Exception {
        try (StoreFixture source = new StoreFixture(tmp.resolve("a"));
                StoreFixture target = new StoreFixture(tmp.resolve("b"))) {
            source.ok(source.commands.set("/k", "from-snapshot", false, null, false));
            byte[] data;
            try (StateMachine.SnapshotSource snapshot = source.store.takeSnapshot()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                snapshot.writeTo(out);
                data = out.toByteArray();
            }
            target.ok(target.commands.set("/k", "before-restore", false, null, false));
            target.ok(target.commands.set("/gone", "x", false, null, false));
            target.store.restore(new SnapshotMetadata(source.store.lastAppliedIndex(), 1, ClusterConfig.EMPTY),
                    new ByteArrayInputStream(data));
            target.raftIndex = source.raftIndex;

            Event swapped = target.ok(target.commands.compareAndSwap("/k", "after", null, false, "from-snapshot", 0));
            assertThat(swapped.prevNode().value()).isEqualTo("from-snapshot");
            assertThat(target.fails(target.commands.delete("/gone", false, false)).code())
                    .isEqualTo(ErrorCode.KEY_NOT_FOUND);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 300})
    void writesAreRightWhateverTheCacheCanHold(long cacheBytes) {
        KvStoreOptions options = KvStoreOptions.defaults(tmp).withBlockCacheBytes(8 << 20)
                .withWriteBuffers(4 << 20, 2).withNodeCacheBytes(cacheBytes);
        try (StoreFixture f = new StoreFixture(tmp, options)) {
            KvCommands c = f.commands;
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < 20; k++) {
                    Event e = f.ok(c.set("/d" + (k % 3) + "/k" + k, "r" + round, false, null, false));
                    if (round > 0) {
                        assertThat(e.prevNode().value()).isEqualTo("r" + (round - 1));
                    } else {
                        assertThat(e.prevNode()).isNull();
                    }
                }
            }
            f.ok(c.delete("/d1", true, true));
            assertThat(f.fails(c.compareAndSwap("/d1/k1", "x", null, false, "r2", 0)).code())
                    .isEqualTo(ErrorCode.KEY_NOT_FOUND);
            assertThat(f.ok(c.set("/d1/k1", "new", false, null, false)).prevNode()).isNull();
        }
    }
}
