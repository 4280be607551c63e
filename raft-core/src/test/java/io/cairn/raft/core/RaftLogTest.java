package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RaftLogTest {

    private static Entry e(long index, long term) {
        return Entry.normal(term, index, new byte[] {(byte) index});
    }

    private static MemoryLog durable(Entry... entries) {
        MemoryLog log = MemoryLog.bootstrap(1L);
        log.appendRaw(entries);
        return log;
    }

    @Test
    void termsComeFromUnstableThenDurable() {
        RaftLog log = new RaftLog(durable(e(1, 1), e(2, 1)), 0);
        log.append(List.of(e(3, 2)));
        assertThat(log.term(0)).isZero();
        assertThat(log.term(2)).isEqualTo(1);
        assertThat(log.term(3)).isEqualTo(2);
        assertThat(log.lastIndex()).isEqualTo(3);
        assertThat(log.termOrNone(4)).isEqualTo(-1);
        assertThatThrownBy(() -> log.term(4)).isInstanceOf(LogUnavailableException.class);
    }

    @Test
    void unstableTailShadowsAnOverwrittenDurableSuffix() {
        MemoryLog disk = durable(e(1, 1), e(2, 1), e(3, 1));
        RaftLog log = new RaftLog(disk, 0);
        log.append(List.of(e(2, 2)));
        assertThat(log.lastIndex()).isEqualTo(2);
        assertThat(log.term(2)).isEqualTo(2);
        assertThat(log.termOrNone(3)).as("durable index 3 is being replaced").isEqualTo(-1);
        assertThat(log.persisted()).isEqualTo(1);
        assertThat(log.entries(1, 3, Long.MAX_VALUE)).containsExactly(e(1, 1), e(2, 2));
    }

    @Test
    void upToDateComparesLastTermThenLength() {
        RaftLog log = new RaftLog(durable(e(1, 1), e(2, 2)), 0);
        assertThat(log.isUpToDate(2, 2)).isTrue();
        assertThat(log.isUpToDate(1, 2)).isFalse();
        assertThat(log.isUpToDate(1, 3)).isTrue();
        assertThat(log.isUpToDate(5, 1)).isFalse();
    }

    @Test
    void maybeAppendTruncatesOnlyConflicts() {
        RaftLog log = new RaftLog(durable(e(1, 1), e(2, 1), e(3, 1)), 0);
        assertThat(log.maybeAppend(3, 2, 0, List.of(e(4, 2)))).as("previous term mismatch").isEqualTo(-1);
        assertThat(log.maybeAppend(1, 1, 2, List.of(e(2, 1), e(3, 1)))).isEqualTo(3);
        assertThat(log.hasEntriesToHandOut()).as("nothing new").isFalse();
        assertThat(log.committed()).isEqualTo(2);
        assertThat(log.maybeAppend(2, 1, 5, List.of(e(3, 3), e(4, 3)))).isEqualTo(4);
        assertThat(log.committed()).as("commit capped at the last new entry").isEqualTo(4);
        assertThat(log.takeEntriesToPersist()).containsExactly(e(3, 3), e(4, 3));
    }

    @Test
    void neverOverwritesCommittedEntries() {
        RaftLog log = new RaftLog(durable(e(1, 1), e(2, 1)), 0);
        log.commitTo(2);
        assertThatThrownBy(() -> log.append(List.of(e(2, 2)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void findConflictByTermSkipsWholeTerms() {
        RaftLog log = new RaftLog(durable(e(1, 1), e(2, 1), e(3, 2), e(4, 2), e(5, 4), e(6, 4)), 0);
        assertThat(log.findConflictByTerm(6, 3)).isEqualTo(new RaftLog.Position(4, 2));
        assertThat(log.findConflictByTerm(6, 4)).isEqualTo(new RaftLog.Position(6, 4));
        assertThat(log.findConflictByTerm(10, 1)).isEqualTo(new RaftLog.Position(2, 1));
        assertThat(log.findConflictByTerm(6, 0)).isEqualTo(new RaftLog.Position(0, 0));
    }

    @Test
    void committedEntriesNeverPassThePersistedIndex() {
        MemoryLog disk = durable(e(1, 1));
        RaftLog log = new RaftLog(disk, 0);
        log.append(List.of(e(2, 1), e(3, 1)));
        log.commitTo(3);
        assertThat(log.takeCommittedEntries(Long.MAX_VALUE)).containsExactly(e(1, 1));
        List<Entry> handed = log.takeEntriesToPersist();
        assertThat(log.hasCommittedToHandOut()).isFalse();
        disk.appendRaw(handed.toArray(Entry[]::new));
        log.stableTo(handed.get(1).index(), handed.get(1).term());
        assertThat(log.takeCommittedEntries(Long.MAX_VALUE)).containsExactly(e(2, 1), e(3, 1));
    }

    @Test
    void persistedAckForOverwrittenEntriesDoesNotAdvance() {
        MemoryLog disk = durable(e(1, 1));
        RaftLog log = new RaftLog(disk, 0);
        log.append(List.of(e(2, 1), e(3, 1)));
        List<Entry> first = log.takeEntriesToPersist();
        log.append(List.of(e(3, 2)));
        List<Entry> second = log.takeEntriesToPersist();
        assertThat(second).containsExactly(e(3, 2));
        disk.appendRaw(first.toArray(Entry[]::new));
        log.stableTo(3, 1);
        assertThat(log.persisted()).as("3/1 was replaced by 3/2").isEqualTo(1);
        disk.appendRaw(second.toArray(Entry[]::new));
        log.stableTo(3, 2);
        assertThat(log.persisted()).isEqualTo(3);
        assertThat(log.term(3)).isEqualTo(2);
    }

    @Test
    void restoreFromSnapshotDiscardsTheTail() {
        RaftLog log = new RaftLog(durable(e(1, 1), e(2, 1)), 0);
        log.append(List.of(e(3, 1)));
        SnapshotMetadata snap = new SnapshotMetadata(10, 3, ClusterConfig.ofVoters(1L, 2L));
        log.restore(snap);
        assertThat(log.lastIndex()).isEqualTo(10);
        assertThat(log.term(10)).isEqualTo(3);
        assertThat(log.firstIndex()).isEqualTo(11);
        assertThat(log.committed()).isEqualTo(10);
        assertThatThrownBy(() -> log.term(5)).isInstanceOf(LogCompactedException.class);
        assertThat(log.hasCommittedToHandOut()).as("nothing before the snapshot is handed out").isFalse();
        assertThat(log.takeSnapshotToPersist()).isEqualTo(snap);
        assertThat(log.takeEntriesToPersist()).isEmpty();
        log.snapshotStable(snap);
        assertThat(log.persisted()).isEqualTo(10);
        assertThat(log.applied()).isEqualTo(10);
    }

    @Test
    void restartResumesAfterTheAppliedIndex() {
        MemoryLog disk = durable(e(1, 1), e(2, 1), e(3, 1));
        disk.setHardState(new HardState(1, 0, 2));
        RaftLog log = new RaftLog(disk, 1);
        assertThat(log.takeCommittedEntries(Long.MAX_VALUE)).containsExactly(e(2, 1));
        RaftLog ahead = new RaftLog(disk, 3);
        assertThat(ahead.committed()).as("the state machine applied only committed entries").isEqualTo(3);
        assertThatThrownBy(() -> new RaftLog(disk, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entriesKeptBehindTheSnapshotStayReadable() {
        MemoryLog disk = durable(e(1, 1), e(2, 1), e(3, 2), e(4, 2), e(5, 2));
        disk.snapshotKeeping(4, 3, ClusterConfig.ofVoters(1L));
        RaftLog log = new RaftLog(disk, 4);
        assertThat(log.firstIndex()).isEqualTo(3);
        assertThat(log.term(3)).isEqualTo(2);
        assertThat(log.term(4)).isEqualTo(2);
        assertThat(log.termOrNone(2)).isEqualTo(-1);
        assertThat(log.entries(3, 6, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(3L, 4L, 5L);
        assertThatThrownBy(() -> log.entries(2, 4, Long.MAX_VALUE)).isInstanceOf(LogCompactedException.class);
    }
}
