package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.LogCompactedException;
import io.cairn.raft.core.LogUnavailableException;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimDiskTest {
    private static final SnapshotMetadata BOOT = new SnapshotMetadata(0, 0, ClusterConfig.ofVoters(1L, 2L, 3L));

    private static List<Entry> entries(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(Entry.normal(term, i, SimStateMachine.payload(i)));
        }
        return out;
    }

    private static SimWrite write(List<Entry> entries, HardState hs) {
        return new SimWrite(null, null, entries, hs);
    }

    @Test
    void theCoreSeesOnlyDurableWrites() {
        SimDisk disk = new SimDisk(BOOT);
        disk.write(write(entries(1, 3, 1), new HardState(1, 1, 0)));

        assertThat(disk.written().lastIndex()).isEqualTo(3);
        assertThat(disk.lastIndex()).isZero();
        assertThat(disk.hardState()).isEqualTo(HardState.EMPTY);

        disk.syncNext();
        assertThat(disk.lastIndex()).isEqualTo(3);
        assertThat(disk.term(2)).isEqualTo(1);
        assertThat(disk.hardState()).isEqualTo(new HardState(1, 1, 0));
    }

    @Test
    void aCrashKeepsOnlyAPrefixOfUnsyncedWrites() {
        SimDisk lucky = new SimDisk(BOOT);
        SimDisk unlucky = new SimDisk(BOOT);
        for (SimDisk disk : List.of(lucky, unlucky)) {
            disk.write(write(entries(1, 2, 1), null));
            disk.syncNext();
            disk.write(write(entries(3, 3, 1), null));
            disk.write(write(entries(4, 4, 1), null));
        }

        assertThat(lucky.crash(new Random(1), 1.0)).isEqualTo(2);
        assertThat(lucky.lastIndex()).isEqualTo(4);
        assertThat(unlucky.crash(new Random(1), 0.0)).isZero();
        assertThat(unlucky.lastIndex()).isEqualTo(2);
        assertThat(unlucky.written().lastIndex()).isEqualTo(2);
        assertThat(unlucky.unsyncedWrites()).isZero();
    }

    @Test
    void aWriteTruncatesTheConflictingSuffix() {
        SimDisk disk = new SimDisk(BOOT);
        disk.write(write(entries(1, 5, 1), null));
        disk.write(write(entries(3, 3, 2), null));
        disk.syncNext();
        disk.syncNext();

        assertThat(disk.lastIndex()).isEqualTo(3);
        assertThat(disk.term(2)).isEqualTo(1);
        assertThat(disk.term(3)).isEqualTo(2);
    }

    @Test
    void writesThatBreakTheStorageContractAreRefused() {
        SimLog log = new SimLog(BOOT);
        log.append(entries(1, 2, 1));

        assertThatThrownBy(() -> log.append(entries(4, 4, 1))).isInstanceOf(StorageContractException.class);
        List<Entry> gapped = List.of(Entry.normal(1, 3, null), Entry.normal(1, 5, null));
        assertThatThrownBy(() -> log.append(gapped)).isInstanceOf(StorageContractException.class);
    }

    @Test
    void compactionKeepsEntriesBehindTheSnapshot() {
        SimDisk disk = new SimDisk(BOOT);
        disk.write(write(entries(1, 10, 1), null));
        disk.syncNext();
        SnapshotMetadata snap = new SnapshotMetadata(8, 1, BOOT.config());

        disk.compact(snap, new SnapshotImage(8, new long[9]), 6);

        assertThat(disk.snapshot()).isEqualTo(snap);
        assertThat(disk.firstIndex()).isEqualTo(6);
        assertThat(disk.term(8)).isEqualTo(1);
        assertThat(disk.entries(6, 11, Long.MAX_VALUE)).hasSize(5);
        assertThatThrownBy(() -> disk.term(5)).isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> disk.entries(5, 7, 100)).isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> disk.term(11)).isInstanceOf(LogUnavailableException.class);
    }

    @Test
    void aStoreThatKeepsTheTermBeforeItsFirstEntryAnswersForIt() {
        SimDisk disk = new SimDisk(BOOT, true);
        disk.write(write(entries(1, 5, 1), null));
        disk.write(write(entries(6, 10, 2), null));
        disk.syncNext();
        disk.syncNext();

        disk.compact(new SnapshotMetadata(8, 2, BOOT.config()), new SnapshotImage(8, new long[9]), 7);

        assertThat(disk.firstIndex()).isEqualTo(7);
        assertThat(disk.term(6)).isEqualTo(2);
        assertThatThrownBy(() -> disk.term(5)).isInstanceOf(LogCompactedException.class);
    }

    @Test
    void anInstalledSnapshotReplacesTheLog() {
        SimDisk disk = new SimDisk(BOOT);
        disk.write(write(entries(1, 4, 1), null));
        SnapshotMetadata snap = new SnapshotMetadata(9, 3, BOOT.config());
        disk.write(new SimWrite(snap, new SnapshotImage(9, new long[10]), entries(10, 10, 3), null));
        disk.syncNext();
        disk.syncNext();

        assertThat(disk.firstIndex()).isEqualTo(10);
        assertThat(disk.lastIndex()).isEqualTo(10);
        assertThat(disk.term(9)).isEqualTo(3);
        assertThat(disk.durable().image().index()).isEqualTo(9);
    }

    @Test
    void entriesRespectTheByteBoundButReturnAtLeastOne() {
        SimLog log = new SimLog(BOOT);
        log.append(entries(1, 5, 1));
        int one = log.entryAt(1).sizeBytes();

        assertThat(log.entries(1, 6, 1)).hasSize(1);
        assertThat(log.entries(1, 6, 2L * one)).hasSize(2);
        assertThat(log.entries(1, 6, Long.MAX_VALUE)).hasSize(5);
    }
}
