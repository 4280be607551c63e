package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.kv.internal.StoreFailure;
import io.cairn.kv.proto.Command;
import io.cairn.raft.core.Entry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How apply treats entries that are not ordinary commands. */
class CommandFormatTest {
    @TempDir
    Path dir;

    @Test
    void leaderNoOpYieldsNoResultButAdvancesTheAppliedIndex() {
        try (StoreFixture f = new StoreFixture(dir)) {
            assertThat(f.store.apply(List.of(Entry.normal(1, 1, new byte[0])))).containsExactly((ApplyResult) null);
            assertThat(f.store.lastAppliedIndex()).isEqualTo(1);
            assertThat(f.store.etcdIndex()).isZero();
        }
    }

    @Test
    void garbageEntryFailsDeterministicallyWithoutChangingState() {
        try (StoreFixture f = new StoreFixture(dir)) {
            ApplyResult r = f.store.apply(List.of(Entry.normal(1, 1, new byte[] {(byte) 0xff, 0x01}))).get(0);
            assertThat(r.error().errorCode()).isEqualTo(300);
            assertThat(r.error().httpStatus()).isEqualTo(500);
            assertThat(f.store.etcdIndex()).isZero();
            assertThat(f.store.lastAppliedIndex()).isEqualTo(1);
        }
    }

    @Test
    void commandFromANewerFormatStopsTheReplicaInsteadOfSkippingIt() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            byte[] newer = Command.parseFrom(f.commands.set("/k", "v", false, null, false)).toBuilder()
                    .setVersion(KvCommands.FORMAT_VERSION + 1).build().toByteArray();
            assertThatThrownBy(() -> f.store.apply(List.of(Entry.normal(1, 1, newer))))
                    .isInstanceOf(StoreFailure.class);
            assertThat(f.store.lastAppliedIndex()).isZero();
        }
    }

    @Test
    void ttlIsTurnedIntoAnExpirationByTheProposerOnly() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            Command cmd = Command.parseFrom(f.commands.set("/k", "v", false, 30L, false));
            assertThat(cmd.getNowUnixNanos()).isEqualTo(StoreFixture.START.getEpochSecond() * 1_000_000_000L);
            assertThat(cmd.getKeyWrite().getExpirationUnixNanos()).isEqualTo(cmd.getNowUnixNanos() + 30_000_000_000L);
            f.clock.advance(java.time.Duration.ofHours(1)); // applying later changes nothing: apply has no clock
            assertThat(f.ok(cmd.toByteArray()).node().expiration()).isEqualTo(StoreFixture.START.plusSeconds(30));
        }
    }
}
