package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.RaftConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-role message handling not covered by the golden transcripts. */
class RoleBehaviorTest {

    private static Message.Builder msg(MessageType type, long from, long to, long term) {
        return Message.builder(type).from(from).to(to).term(term);
    }

    private static RaftCore candidate(MemoryLog log, boolean preVote) {
        RaftCore c = new RaftCore(RaftConfig.builder(1).electionTicks(10).preVote(preVote).build(), log,
                new Random(5));
        for (int i = 0; i < 20 && c.status().role() == Role.FOLLOWER; i++) {
            c.tick();
        }
        Ready r = c.ready();
        log.persist(r);
        c.onPersisted(r);
        return c;
    }

    @Test
    void candidateLosesWhenAMajorityRejects() {
        RaftCore c = candidate(MemoryLog.bootstrap(1L, 2L, 3L), false);
        assertThat(c.status().role()).isEqualTo(Role.CANDIDATE);
        c.step(msg(MessageType.VOTE_RESPONSE, 2, 1, 1).reject(true).build());
        assertThat(c.status().role()).isEqualTo(Role.CANDIDATE);
        c.step(msg(MessageType.VOTE_RESPONSE, 3, 1, 1).reject(true).build());
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.status().term()).isEqualTo(1);
    }

    @Test
    void preCandidateRejectedByAHigherTermAdoptsIt() {
        RaftCore c = candidate(MemoryLog.bootstrap(1L, 2L, 3L), true);
        assertThat(c.status().role()).isEqualTo(Role.PRE_CANDIDATE);
        c.step(msg(MessageType.PRE_VOTE_RESPONSE, 2, 1, 7).reject(true).build());
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.status().term()).isEqualTo(7);
    }

    @Test
    void candidateYieldsToALeaderOfItsTerm() {
        RaftCore c = candidate(MemoryLog.bootstrap(1L, 2L, 3L), false);
        c.step(msg(MessageType.HEARTBEAT, 2, 1, 1).build());
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.status().leaderId()).isEqualTo(2);
        assertThat(c.propose(List.of(new byte[] {1}))).isEqualTo(ProposeResult.FORWARDED);
        assertThat(c.ready().messagesNow()).anySatisfy(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PROPOSE);
            assertThat(m.to()).isEqualTo(2);
        });
    }

    @Test
    void candidateDropsProposals() {
        RaftCore c = candidate(MemoryLog.bootstrap(1L, 2L, 3L), false);
        assertThat(c.propose(List.of(new byte[] {1}))).isEqualTo(ProposeResult.NO_LEADER);
        c.readIndex(5);
        assertThat(c.hasReady()).isFalse();
    }

    @Test
    void followersForwardReadsAndTransfers() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.transfer(2, 3);
        c.stabilize();
        assertThat(c.status(3).role()).isEqualTo(Role.LEADER);
        assertThat(c.transcript()).contains("2->1 TRANSFER_LEADER term=0 ctx=3", "1->3 TIMEOUT_NOW");
    }

    @Test
    void transferToALearnerOrSelfIsIgnored() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.transfer(1, 1);
        c.transfer(1, 9);
        assertThat(c.status(1).leadTransferee()).isZero();
        assertThat(c.propose(1, "ok")).isEqualTo(ProposeResult.APPENDED);
    }

    @Test
    void configChangeRules() {
        Cluster c = new Cluster(3);
        c.drop("acknowledgements", m -> m.type() == MessageType.APPEND_RESPONSE);
        c.elect(1);
        ConfigChange addFour = new ConfigChange(ConfigChange.Type.ADD_LEARNER, 4, null);
        assertThat(c.proposeConfigChange(1, addFour)).as("nothing committed in the new term yet")
                .isEqualTo(ProposeResult.CONFIG_CHANGE_REJECTED);
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.proposeConfigChange(1, new ConfigChange(ConfigChange.Type.REMOVE_NODE, 9, null)))
                .as("removing a non-member changes nothing").isEqualTo(ProposeResult.CONFIG_CHANGE_REJECTED);
        assertThat(c.proposeConfigChange(1, new ConfigChange(ConfigChange.Type.ADD_LEARNER, 2, null)))
                .as("a voter cannot become a learner").isEqualTo(ProposeResult.CONFIG_CHANGE_REJECTED);
        assertThat(c.proposeConfigChange(2, addFour)).as("followers forward").isEqualTo(ProposeResult.FORWARDED);
        c.stabilize();
        assertThat(c.status(3).config().learners()).containsExactly(4L);
    }

    @Test
    void lastVoterCannotBeRemoved() {
        Cluster c = new Cluster(1);
        c.elect(1);
        c.stabilize();
        assertThat(c.proposeConfigChange(1, new ConfigChange(ConfigChange.Type.REMOVE_NODE, 1, null)))
                .isEqualTo(ProposeResult.CONFIG_CHANGE_REJECTED);
    }

    @Test
    void singleNodeServesReadsAfterItsFirstCommit() {
        Cluster c = new Cluster(1);
        c.campaign(1);
        c.readIndex(1, 42);
        c.stabilize();
        assertThat(c.node(1).reads).containsExactly(new ReadState(42, 1));
    }

    @Test
    void snapshotStatusFailureProbesAgain() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.isolate(3);
        c.propose(1, "a", "b");
        c.stabilize();
        c.node(1).log.compact(3, c.status(1).config());
        c.heal();
        c.drop("snapshots", m -> m.type() == MessageType.SNAPSHOT);
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.node(1).core.progress().get(3L).state()).isEqualTo(ProgressView.State.SNAPSHOT);
        c.inject(Message.builder(MessageType.SNAPSHOT_STATUS).from(3).to(1).reject(true).build());
        assertThat(c.node(1).core.progress().get(3L).state()).isEqualTo(ProgressView.State.PROBE);
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.status(3).commitIndex()).isEqualTo(3);
        assertThat(c.node(1).core.progress().get(3L).state()).isEqualTo(ProgressView.State.REPLICATE);
    }

    @Test
    void rejectedHigherTermVoteDoesNotResetTheElectionTimer() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        log.appendRaw(Entry.normal(1, 1, null), Entry.normal(1, 2, null));
        log.setHardState(new HardState(1, 0, 0));
        RaftCore node = new RaftCore(RaftConfig.builder(2).electionTicks(10).preVote(false).checkQuorum(false)
                .build(), log, new Random(5));
        int ticks = 0;
        long staleTerm = 2;
        while (node.status().role() == Role.FOLLOWER && ticks < 40) {
            node.tick();
            ticks++;
            // A stale candidate (shorter log) asks for a vote every few ticks with a new term.
            if (ticks % 3 == 0 && node.status().role() == Role.FOLLOWER) {
                node.step(msg(MessageType.VOTE, 1, 2, staleTerm++).index(1).logTerm(1).build());
            }
        }
        assertThat(node.status().role()).as("the up-to-date node still campaigns").isEqualTo(Role.CANDIDATE);
        assertThat(ticks).isLessThan(20);
    }
}
