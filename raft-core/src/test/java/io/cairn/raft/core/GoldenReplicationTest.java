package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Golden transcripts of log replication, commit, reads and membership. */
class GoldenReplicationTest {

    @AfterEach
    void saveTranscript(TestInfo info) {
        if (Cluster.last != null) {
            Cluster.last.save(info.getTestMethod().orElseThrow().getName());
        }
    }


    private static Entry e(long index, long term) {
        return Entry.normal(term, index, ("e" + index + "t" + term).getBytes());
    }

    private static MemoryLog disk(long term, long commit, Entry... entries) {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        log.appendRaw(entries);
        log.setHardState(new HardState(term, 0, commit));
        return log;
    }

    @Test
    void logConflictWithFastBacktracking() {
        Map<Long, MemoryLog> disks = new TreeMap<>();
        disks.put(1L, disk(3, 2, e(1, 1), e(2, 1), e(3, 2), e(4, 2), e(5, 3), e(6, 3)));
        disks.put(2L, disk(3, 2, e(1, 1), e(2, 1), e(3, 2)));
        disks.put(3L, disk(2, 2, e(1, 1), e(2, 1), e(3, 2), e(4, 2), e(5, 2), e(6, 2), e(7, 2), e(8, 2)));
        Cluster c = new Cluster(disks, 1, b -> b);
        c.note("node 3 holds uncommitted term-2 entries 5..8 that conflict with the leader's term-3 entries");
        c.elect(1);
        c.printStatus();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).log.entries(1, 8, Long.MAX_VALUE)).extracting(Entry::term)
                    .containsExactly(1L, 1L, 2L, 2L, 3L, 3L, 4L);
            assertThat(c.status(id).commitIndex()).isEqualTo(7);
        }
        Golden.check("log-conflict-fast-backtracking", c.transcript());
    }

    @Test
    void commitRuleOfFigureEight() {
        Cluster c = figureEight(java.util.Set.of());
        c.printStatus();
        assertThat(c.status(1).commitIndex()).as("index 2 (term 2) is on a majority but not committable in term 4")
                .isEqualTo(1);
        c.heal();
        c.isolate(5);
        c.tick(1, 1);
        c.stabilize();
        c.printStatus();
        assertThat(c.status(1).commitIndex()).isEqualTo(3);
        Golden.check("commit-rule-figure-8", c.transcript());
    }

    @Test
    void negativeControlCommitsPreviousTermByCount() {
        Cluster c = figureEight(java.util.Set.of(CoreFault.COMMIT_PREVIOUS_TERM_BY_COUNT));
        assertThat(c.status(1).commitIndex()).isEqualTo(2);
    }

    /**
     * The Raft paper's figure 8, state (c): node 1 leads in term 4 with its term-2 entry at index 2;
     * node 5 holds a term-3 entry there. One entry per message; appends carrying term-4 entries to
     * nodes 3 and 4 are dropped, so index 2 reaches a majority (1, 2, 3) before the term-4 no-op does.
     */
    private static Cluster figureEight(java.util.Set<CoreFault> faults) {
        Map<Long, MemoryLog> disks = new TreeMap<>();
        Long[] all = {1L, 2L, 3L, 4L, 5L};
        for (long id = 1; id <= 5; id++) {
            MemoryLog log = MemoryLog.bootstrap(all);
            log.appendRaw(e(1, 1));
            if (id <= 2) {
                log.appendRaw(e(2, 2));
            } else if (id == 5) {
                log.appendRaw(e(2, 3));
            }
            log.setHardState(new HardState(3, 0, 1));
            disks.put(id, log);
        }
        Cluster c = new Cluster(disks, 1, b -> b.maxSizePerMessage(1).testFaults(faults));
        c.note("figure 8 (c): 1 and 2 hold 2/2, 5 holds 2/3, 3 and 4 hold only index 1");
        c.isolate(5);
        c.drop("term-4 entries to 3 and 4 once they hold index 2 (and anything to 5)", m -> m.to() == 5
                || m.from() == 5 || (m.type() == MessageType.APPEND && (m.to() == 3 || m.to() == 4)
                        && c.node(m.to()).log.lastIndex() >= 2
                        && m.entries().stream().anyMatch(x -> x.term() == 4)));
        c.elect(1);

        return c;
    }

    @Test
    void readIndexWaitsForOwnTermCommitAndBatches() {
        Cluster c = new Cluster(3);
        c.drop("append acknowledgements", m -> m.type() == MessageType.APPEND_RESPONSE);
        c.elect(1);
        c.note("the new leader has not committed its no-op: reads are queued, not answered");
        c.readIndex(1, 11);
        c.readIndex(2, 12);
        c.stabilize();
        assertThat(c.node(1).reads).isEmpty();
        assertThat(c.node(2).reads).isEmpty();
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.node(1).reads).containsExactly(new ReadState(11, 1));
        assertThat(c.node(2).reads).containsExactly(new ReadState(12, 1));
        c.note("two local reads share one round; one forwarded while it is open waits for the next");
        c.readIndex(1, 21);
        c.readIndex(1, 22);
        c.readIndex(3, 23);
        c.stabilize();
        c.printStatus();
        assertThat(c.node(1).reads).extracting(ReadState::requestId).containsExactly(11L, 21L, 22L);
        assertThat(c.node(3).reads).containsExactly(new ReadState(23, 1));
        Golden.check("read-index", c.transcript());
    }

    @Test
    void addLearnerThenPromote() {
        Cluster c = new Cluster(3);
        c.add(4, new MemoryLog(ClusterConfig.EMPTY));
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        c.note("node 4 starts with an empty log and no configuration; it joins as a learner");
        assertThat(c.proposeConfigChange(1, new ConfigChange(ConfigChange.Type.ADD_LEARNER, 4, null)))
                .isEqualTo(ProposeResult.APPENDED);
        assertThat(c.proposeConfigChange(1, new ConfigChange(ConfigChange.Type.ADD_VOTER, 4, null)))
                .as("only one change may be pending").isEqualTo(ProposeResult.CONFIG_CHANGE_REJECTED);
        c.stabilize();
        assertThat(c.node(1).core.progress().get(4L).match()).isEqualTo(3);
        c.note("the learner caught up (match = last index): promote it");
        assertThat(c.proposeConfigChange(1, new ConfigChange(ConfigChange.Type.ADD_VOTER, 4, null)))
                .isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.printStatus();
        for (long id = 1; id <= 4; id++) {
            assertThat(c.status(id).config().voters()).containsExactly(1L, 2L, 3L, 4L);
        }
        Golden.check("add-learner-promote", c.transcript());
    }

    @Test
    void snapshotToLaggingFollower() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.isolate(3);
        c.propose(1, "a", "b", "c");
        c.stabilize();
        c.note("the leader compacts its log through index 3; node 3 only has index 1");
        c.node(1).log.compact(3, c.status(1).config());
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        c.note("the runtime reports the snapshot transfer finished");
        c.inject(Message.builder(MessageType.SNAPSHOT_STATUS).from(3).to(1).build());
        c.propose(1, "d");
        c.stabilize();
        c.printStatus();
        assertThat(c.status(3).commitIndex()).isEqualTo(5);
        assertThat(c.node(3).log.snapshot().index()).isEqualTo(3);
        assertThat(c.node(3).applied).extracting(Entry::index).containsExactly(1L, 4L, 5L);
        Golden.check("snapshot-lagging-follower", c.transcript());
    }

    @Test
    void proposalForwarding() {
        Cluster c = new Cluster(3);
        assertThat(c.propose(2, "early")).isEqualTo(ProposeResult.NO_LEADER);
        c.elect(1);
        assertThat(c.propose(2, "x", "y")).isEqualTo(ProposeResult.FORWARDED);
        c.stabilize();
        c.printStatus();
        assertThat(c.node(3).applied).extracting(x -> new String(x.data())).containsExactly("", "x", "y");
        Golden.check("proposal-forwarding", c.transcript());
    }

    @Test
    void uncommittedSizeBound() {
        Cluster c = new Cluster(3, 1, b -> b.maxUncommittedBytes(10));
        c.elect(1);
        c.isolate(2);
        c.isolate(3);
        c.note("nothing commits while the followers are cut off; the tail is bounded to 10 payload bytes");
        assertThat(c.propose(1, "12345678")).isEqualTo(ProposeResult.APPENDED);
        assertThat(c.propose(1, "abc")).isEqualTo(ProposeResult.TOO_MANY_UNCOMMITTED);
        assertThat(c.propose(1, "ab")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        c.note("once committed, the tail is empty again; one oversize proposal on an empty tail is accepted");
        assertThat(c.propose(1, "0123456789abcdef")).isEqualTo(ProposeResult.APPENDED);
        assertThat(c.propose(1, "z")).isEqualTo(ProposeResult.TOO_MANY_UNCOMMITTED);
        c.stabilize();
        c.printStatus();
        assertThat(c.status(3).commitIndex()).isEqualTo(4);
        Golden.check("uncommitted-size-bound", c.transcript());
    }
}
