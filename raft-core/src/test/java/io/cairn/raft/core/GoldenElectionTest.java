package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Golden transcripts of elections and leadership changes. */
class GoldenElectionTest {

    @AfterEach
    void saveTranscript(TestInfo info) {
        if (Cluster.last != null) {
            Cluster.last.save(info.getTestMethod().orElseThrow().getName());
        }
    }


    @Test
    void threeNodeElection() {
        Cluster c = new Cluster(3);
        c.note("node 1 times out first: PreVote round, then a real election in term 1");
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        c.printStatus();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.status(id).leaderId()).isEqualTo(1);
            assertThat(c.status(id).commitIndex()).isEqualTo(2);
        }
        Golden.check("election-3-nodes", c.transcript());
    }

    @Test
    void preVoteInPartitionDoesNotInflateTerms() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.isolate(3);
        c.note("isolated node 3 times out repeatedly; PreVote keeps its term at 1");
        for (int i = 0; i < 3; i++) {
            c.tick(3, 20);
            c.stabilize();
        }
        assertThat(c.status(3).term()).isEqualTo(1);
        c.heal();
        c.note("after healing, its PreVote is refused (leader alive), and the next heartbeat brings it back");
        c.tick(3, 20);
        c.stabilize();
        c.tick(1, 1);
        c.stabilize();
        c.printStatus();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.status(id).term()).isEqualTo(1);
            assertThat(c.status(id).leaderId()).isEqualTo(1);
        }
        Golden.check("prevote-partition", c.transcript());
    }

    @Test
    void checkQuorumStepsDownIsolatedLeader() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.isolate(1);
        c.note("the leader hears from nobody for a full election timeout (followers were active in the first) and steps down");
        c.tick(1, 20);
        c.stabilize();
        assertThat(c.status(1).role()).isEqualTo(Role.FOLLOWER);
        c.note("the others elect a new leader once their own timeouts expire");
        c.tickAllUntil("a new leader is elected", () -> c.status(2).role() == Role.LEADER
                || c.status(3).role() == Role.LEADER, 100);
        long newLeader = c.status(2).role() == Role.LEADER ? 2 : 3;
        c.heal();
        c.tick(newLeader, 1);
        c.stabilize();
        c.printStatus();
        assertThat(c.status(1).leaderId()).isEqualTo(newLeader);
        assertThat(c.status(1).term()).isEqualTo(2);
        Golden.check("check-quorum-step-down", c.transcript());
    }

    @Test
    void leaderIgnoresCheckQuorumWhileFollowersRespond() {
        Cluster c = new Cluster(3);
        c.elect(1);
        for (int i = 0; i < 30; i++) {
            c.node(1).core.tick();
            c.stabilize();
        }
        assertThat(c.status(1).role()).isEqualTo(Role.LEADER);
    }

    @Test
    void leadershipTransfer() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.note("transfer to an up-to-date voter: TIMEOUT_NOW at once, the target campaigns without PreVote");
        c.transfer(1, 3);
        c.stabilize();
        assertThat(c.status(3).role()).isEqualTo(Role.LEADER);
        assertThat(c.status(3).term()).isEqualTo(2);

        c.note("transfer to a lagging voter: replicate first; proposals are refused meanwhile");
        c.isolate(2);
        c.propose(3, "x");
        c.stabilize();
        c.heal();
        c.transfer(3, 2);
        assertThat(c.propose(3, "refused")).isEqualTo(ProposeResult.TRANSFERRING);
        c.stabilize();
        assertThat(c.status(2).role()).isEqualTo(Role.LEADER);

        c.note("a transfer to an unreachable voter is abandoned after an election timeout");
        c.isolate(1);
        c.transfer(2, 1);
        c.stabilize();
        assertThat(c.status(2).leadTransferee()).isEqualTo(1);
        c.tick(2, 10);
        c.stabilize();
        assertThat(c.status(2).leadTransferee()).isZero();
        assertThat(c.status(2).role()).isEqualTo(Role.LEADER);
        assertThat(c.propose(2, "accepted")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.printStatus();
        Golden.check("leadership-transfer", c.transcript());
    }

    @Test
    void removeLeader() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.note("the leader proposes its own removal, steps down once the change is committed");
        assertThat(c.proposeConfigChange(1, new ConfigChange(ConfigChange.Type.REMOVE_NODE, 1, null)))
                .isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        assertThat(c.status(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.status(1).config().voters()).containsExactly(2L, 3L);
        c.note("the removed node never campaigns; the remaining two elect a leader");
        for (int i = 0; i < 40; i++) {
            c.node(1).core.tick();
        }
        assertThat(c.status(1).role()).isEqualTo(Role.FOLLOWER);
        c.tickAllUntil("2 or 3 leads", () -> c.status(2).role() == Role.LEADER
                || c.status(3).role() == Role.LEADER, 100);
        c.printStatus();
        assertThat(c.status(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.status(1).term()).isLessThanOrEqualTo(c.status(2).term());
        assertThat(c.status(3).config().voters()).containsExactly(2L, 3L);
        Golden.check("remove-leader", c.transcript());
    }
}
