package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ElectionReplicationTest {

    @Test
    void threeNodesElectAndReplicate() {
        Cluster c = new Cluster(3);
        c.elect(1);
        assertThat(c.status(2).leaderId()).isEqualTo(1);
        assertThat(c.status(3).leaderId()).isEqualTo(1);
        assertThat(c.propose(1, "a", "b")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.status(id).commitIndex()).isEqualTo(3);
            assertThat(c.node(id).applied).extracting(Entry::index).containsExactly(1L, 2L, 3L);
        }
        System.out.println(c.transcript());
    }

    @Test
    void singleNodeCommitsOnlyAfterPersist() {
        Cluster c = new Cluster(1);
        c.elect(1);
        c.stabilize();
        assertThat(c.status(1).commitIndex()).isEqualTo(1);
        c.propose(1, "x");
        RaftCore core = c.node(1).core;
        Ready first = core.ready();
        assertThat(first.entries()).hasSize(1);
        assertThat(first.committedEntries()).isEmpty();
        c.node(1).log.persist(first);
        core.onPersisted(first);
        Ready second = core.ready();
        assertThat(second.committedEntries()).extracting(Entry::index).containsExactly(2L);
    }
}
