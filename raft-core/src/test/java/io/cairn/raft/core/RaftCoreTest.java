package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.RaftConfig;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Message handling of single cores, driven by hand, and the durability ordering of Ready. */
class RaftCoreTest {

    private static RaftConfig config(long id) {
        return RaftConfig.builder(id).electionTicks(10).heartbeatTicks(1).build();
    }

    private static RaftCore core(long id, MemoryLog log) {
        return new RaftCore(config(id), log, new Random(7));
    }

    private static Message.Builder msg(MessageType type, long from, long to, long term) {
        return Message.builder(type).from(from).to(to).term(term);
    }

    /** Takes a Ready and carries out its writes; returns it. */
    private static Ready drain(RaftCore core, MemoryLog log) {
        Ready r = core.ready();
        log.persist(r);
        core.onPersisted(r);
        return r;
    }

    private static Entry e(long index, long term) {
        return Entry.normal(term, index, new byte[] {1});
    }

    @Test
    void grantedVoteIsSentOnlyAfterTheVoteIsPersisted() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        RaftCore follower = core(2, log);
        follower.step(msg(MessageType.VOTE, 1, 2, 1).build());
        Ready r = follower.ready();
        assertThat(r.hardState()).isEqualTo(new HardState(1, 1, 0));
        assertThat(r.messagesNow()).isEmpty();
        assertThat(r.messagesAfterPersist()).singleElement()
                .satisfies(m -> {
                    assertThat(m.type()).isEqualTo(MessageType.VOTE_RESPONSE);
                    assertThat(m.reject()).isFalse();
                });
    }

    @Test
    void candidateVoteRequestsFollowItsPersistedTermButPreVotesGoAtOnce() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        RaftCore c = core(1, log);
        for (int i = 0; i < 20 && c.status().role() == Role.FOLLOWER; i++) {
            c.tick();
        }
        assertThat(c.status().role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(c.status().term()).as("PreVote does not raise the term").isZero();
        Ready pre = drain(c, log);
        assertThat(pre.messagesNow()).extracting(Message::type).containsOnly(MessageType.PRE_VOTE);
        assertThat(pre.messagesNow()).allSatisfy(m -> assertThat(m.term()).isEqualTo(1));
        c.step(msg(MessageType.PRE_VOTE_RESPONSE, 2, 1, 1).build());
        assertThat(c.status().role()).isEqualTo(Role.CANDIDATE);
        Ready vote = c.ready();
        assertThat(vote.hardState()).isEqualTo(new HardState(1, 1, 0));
        assertThat(vote.messagesNow()).isEmpty();
        assertThat(vote.messagesAfterPersist()).extracting(Message::type).containsOnly(MessageType.VOTE);
    }

    @Test
    void votesRequireAnUpToDateLogUnlessTheNegativeControlIsOn() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        log.appendRaw(e(1, 1), e(2, 2));
        log.setHardState(new HardState(2, 0, 0));
        RaftCore voter = core(2, log);
        voter.step(msg(MessageType.VOTE, 1, 2, 3).index(5).logTerm(1).build());
        assertThat(voter.ready().messagesAfterPersist()).singleElement().satisfies(m -> assertThat(m.reject()).isTrue());

        MemoryLog log2 = MemoryLog.bootstrap(1L, 2L, 3L);
        log2.appendRaw(e(1, 1), e(2, 2));
        log2.setHardState(new HardState(2, 0, 0));
        RaftConfig faulty = RaftConfig.builder(2).electionTicks(10)
                .testFaults(Set.of(CoreFault.GRANT_VOTE_WITHOUT_LOG_CHECK)).build();
        RaftCore broken = new RaftCore(faulty, log2, new Random(1));
        broken.step(msg(MessageType.VOTE, 1, 2, 3).index(5).logTerm(1).build());
        assertThat(broken.ready().messagesAfterPersist()).singleElement()
                .satisfies(m -> assertThat(m.reject()).isFalse());
    }

    @Test
    void followerWithALiveLeaderIgnoresVotesUnlessTransferring() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        RaftCore follower = core(2, log);
        follower.step(msg(MessageType.HEARTBEAT, 1, 2, 1).build());
        drain(follower, log);
        follower.step(msg(MessageType.VOTE, 3, 2, 2).build());
        assertThat(follower.status().term()).as("lease: the disruptive vote is ignored").isEqualTo(1);
        assertThat(follower.hasReady()).isFalse();
        follower.step(msg(MessageType.VOTE, 3, 2, 2).context(Message.CONTEXT_TRANSFER).build());
        assertThat(follower.status().term()).isEqualTo(2);
        assertThat(drain(follower, log).messagesAfterPersist()).singleElement()
                .satisfies(m -> assertThat(m.reject()).isFalse());
    }

    @Test
    void requestsAPeerForwardedOnStaleLeaderInformationAreDroppedNotForwardedInItsName() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        RaftCore follower = core(2, log);
        follower.step(msg(MessageType.HEARTBEAT, 1, 2, 1).build());
        drain(follower, log);
        // Member 3 still takes 2 for the leader (2 restarted, say) and forwards to it.
        follower.step(msg(MessageType.PROPOSE, 3, 2, 0).entries(List.of(Entry.normal(0, 0, new byte[] {7}))).build());
        follower.step(msg(MessageType.READ_INDEX, 3, 2, 0).context(42).build());
        follower.step(msg(MessageType.TRANSFER_LEADER, 3, 2, 0).context(3).build());
        assertThat(follower.hasReady()).as("nothing leaves in member 3's name").isFalse();
        // Its own requests still reach the leader.
        assertThat(follower.propose(List.of(new byte[] {8}))).isEqualTo(ProposeResult.FORWARDED);
        assertThat(follower.ready().messagesNow()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PROPOSE);
            assertThat(m.from()).isEqualTo(2);
            assertThat(m.to()).isEqualTo(1);
        });
    }

    @Test
    void staleLeaderLearnsTheNewTerm() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        log.setHardState(new HardState(5, 0, 0));
        RaftCore follower = core(2, log);
        follower.step(msg(MessageType.APPEND, 1, 2, 3).build());
        Ready r = follower.ready();
        assertThat(r.messagesNow()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APPEND_RESPONSE);
            assertThat(m.term()).isEqualTo(5);
        });
    }

    @Test
    void repeatedAcknowledgementWaitsForTheEarlierWrite() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        RaftCore follower = core(2, log);
        Message append = msg(MessageType.APPEND, 1, 2, 1).entries(List.of(e(1, 1))).build();
        follower.step(append);
        Ready first = follower.ready();
        assertThat(first.entries()).hasSize(1);
        assertThat(first.messagesAfterPersist()).hasSize(1);
        // The leader retransmits before the first write is durable: nothing new to write, but
        // the acknowledgement promises index 1, so it must wait for the first write.
        follower.step(append);
        Ready second = follower.ready();
        assertThat(second.entries()).isEmpty();
        assertThat(second.needsPersist()).isTrue();
        assertThat(second.messagesNow()).isEmpty();
        assertThat(second.messagesAfterPersist()).singleElement().satisfies(m -> assertThat(m.index()).isEqualTo(1));
        log.persist(first);
        follower.onPersisted(first);
        log.persist(second);
        follower.onPersisted(second);
        follower.step(append);
        Ready third = follower.ready();
        assertThat(third.needsPersist()).isFalse();
        assertThat(third.messagesNow()).hasSize(1);
    }

    @Test
    void leaderAppliesOnlyWhatItPersisted() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        RaftCore leader = core(1, log);
        for (int i = 0; i < 20 && leader.status().role() == Role.FOLLOWER; i++) {
            leader.tick();
        }
        drain(leader, log);
        leader.step(msg(MessageType.PRE_VOTE_RESPONSE, 2, 1, 1).build());
        drain(leader, log);
        leader.step(msg(MessageType.VOTE_RESPONSE, 2, 1, 1).build());
        assertThat(leader.status().role()).isEqualTo(Role.LEADER);
        Ready becameLeader = leader.ready();
        assertThat(becameLeader.entries()).hasSize(1);
        assertThat(becameLeader.messagesNow()).extracting(Message::type).containsOnly(MessageType.APPEND);
        // Both followers acknowledge before the leader's own write completes: committed by a
        // quorum of others, but not applied here until durable here.
        leader.step(msg(MessageType.APPEND_RESPONSE, 2, 1, 1).index(1).build());
        leader.step(msg(MessageType.APPEND_RESPONSE, 3, 1, 1).index(1).build());
        assertThat(leader.status().commitIndex()).isEqualTo(1);
        Ready beforePersist = leader.ready();
        assertThat(beforePersist.committedEntries()).isEmpty();
        log.persist(becameLeader);
        leader.onPersisted(becameLeader);
        log.persist(beforePersist);
        leader.onPersisted(beforePersist);
        assertThat(leader.ready().committedEntries()).extracting(Entry::index).containsExactly(1L);
    }

    @Test
    void proposalsAreCoalescedIntoOneAppendPerFollower() {
        Cluster c = new Cluster(3);
        c.elect(1);
        RaftCore leader = c.node(1).core;
        for (int i = 0; i < 5; i++) {
            leader.propose(List.of(new byte[] {(byte) i}));
        }
        Ready r = leader.ready();
        assertThat(r.messagesNow()).hasSize(2);
        assertThat(r.messagesNow()).allSatisfy(m -> assertThat(m.entries()).hasSize(5));
    }

    @Test
    void unreachableFollowerDropsBackToProbe() {
        Cluster c = new Cluster(3);
        c.elect(1);
        RaftCore leader = c.node(1).core;
        assertThat(leader.progress().get(2L).state()).isEqualTo(ProgressView.State.REPLICATE);
        leader.step(Message.builder(MessageType.UNREACHABLE).from(2).to(1).build());
        assertThat(leader.progress().get(2L).state()).isEqualTo(ProgressView.State.PROBE);
        assertThat(c.node(2).core.progress()).as("only a leader reports progress").isEmpty();
    }

    @Test
    void membersStayRecentlyActiveInTheViewAcrossTheLeadersQuorumCheck() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.stabilize();
        RaftCore leader = c.node(1).core;
        // one election timeout of ticks crosses a quorum check, which clears the core's flags;
        // no answer is delivered after it, yet both members were heard from moments before
        c.tick(1, 10);
        assertThat(leader.progress().get(2L).recentActive()).isTrue();
        assertThat(leader.progress().get(3L).recentActive()).isTrue();

        c.stabilize();
        c.isolate(3);
        c.tickAllUntil("two quorum checks have passed without hearing from 3",
                () -> !leader.progress().get(3L).recentActive(), 25);
        assertThat(leader.progress().get(2L).recentActive()).isTrue();
        assertThat(c.status(1).role()).isEqualTo(Role.LEADER);
    }

    @Test
    void followerSnapshotHandling() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        log.appendRaw(e(1, 1), e(2, 1), e(3, 1));
        log.setHardState(new HardState(1, 0, 2));
        RaftCore f = core(2, log);
        drain(f, log);
        ClusterConfig cfg = ClusterConfig.ofVoters(1L, 2L, 3L);

        f.step(msg(MessageType.SNAPSHOT, 1, 2, 1).snapshot(new SnapshotMetadata(1, 1, cfg)).build());
        Ready atCommit = drain(f, log);
        assertThat(atCommit.snapshot()).isNull();
        assertThat(atCommit.messagesNow()).singleElement().satisfies(m -> assertThat(m.index()).isEqualTo(2));

        f.step(msg(MessageType.SNAPSHOT, 1, 2, 1).snapshot(new SnapshotMetadata(3, 1, cfg)).build());
        Ready fastForward = drain(f, log);
        assertThat(fastForward.snapshot()).as("the log already holds 3/1").isNull();
        assertThat(f.status().commitIndex()).isEqualTo(3);

        SnapshotMetadata newer = new SnapshotMetadata(10, 2, ClusterConfig.ofVoters(1L, 2L));
        f.step(msg(MessageType.SNAPSHOT, 1, 2, 2).snapshot(newer).build());
        Ready install = f.ready();
        assertThat(install.snapshot()).isEqualTo(newer);
        assertThat(install.messagesNow()).isEmpty();
        assertThat(install.messagesAfterPersist()).singleElement().satisfies(m -> assertThat(m.index()).isEqualTo(10));
        assertThat(f.status().config().voters()).containsExactly(1L, 2L);
        log.persist(install);
        f.onPersisted(install);
        assertThat(f.status().appliedIndex()).isEqualTo(10);
        assertThat(f.status().lastIndex()).isEqualTo(10);
    }

    @Test
    void restartRestoresCommittedMembershipOnly() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        byte[] addLearner = new ConfigChange(ConfigChange.Type.ADD_LEARNER, 4, null).encode();
        byte[] removeThree = new ConfigChange(ConfigChange.Type.REMOVE_NODE, 3, null).encode();
        log.appendRaw(e(1, 1), new Entry(1, 2, EntryType.CONFIG_CHANGE, addLearner),
                new Entry(1, 3, EntryType.CONFIG_CHANGE, removeThree));
        log.setHardState(new HardState(1, 0, 2));
        RaftCore restarted = new RaftCore(config(1), log, 1, new Random(3));
        assertThat(restarted.status().config()).isEqualTo(new ClusterConfig(Set.of(1L, 2L, 3L), Set.of(4L)));
        Ready r = restarted.ready();
        assertThat(r.committedEntries()).extracting(Entry::index).containsExactly(2L);
        assertThat(restarted.status().config().learners()).as("not applied twice").containsExactly(4L);
    }

    @Test
    void nonMemberNeverCampaigns() {
        MemoryLog log = MemoryLog.bootstrap(1L, 2L, 3L);
        RaftCore outsider = core(9, log);
        for (int i = 0; i < 100; i++) {
            outsider.tick();
        }
        assertThat(outsider.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(outsider.hasReady()).isFalse();
    }

    @Test
    void electionTimeoutIsRandomWithinOneToTwoElectionTimeouts() {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (int seed = 0; seed < 50; seed++) {
            RaftCore c = new RaftCore(config(1), MemoryLog.bootstrap(1L, 2L, 3L), new Random(seed));
            int ticks = 0;
            while (c.status().role() == Role.FOLLOWER) {
                c.tick();
                ticks++;
            }
            seen.add(ticks);
        }
        assertThat(seen).allSatisfy(t -> assertThat(t).isBetween(10, 19));
        assertThat(seen.size()).as("timeouts differ between seeds").isGreaterThan(3);
    }

    @Test
    void learnersNeverCountTowardCommit() {
        MemoryLog log = new MemoryLog(new ClusterConfig(Set.of(1L, 2L, 3L), Set.of(4L)));
        Cluster c = new Cluster(java.util.Map.of(1L, log, 2L, copyOf(log), 3L, copyOf(log), 4L, copyOf(log)), 1,
                b -> b);
        c.elect(1);
        assertThat(c.status(4).leaderId()).isEqualTo(1);
        c.drop("everything to and from 2 and 3", m -> m.to() == 2 || m.from() == 2 || m.to() == 3 || m.from() == 3);
        c.propose(1, "x");
        c.stabilize();
        assertThat(c.node(1).core.progress().get(4L).match()).as("the learner has it").isEqualTo(2);
        assertThat(c.status(1).commitIndex()).as("but only voter 1 of 3 has it").isEqualTo(1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"1, false", "2, true"})
    void entriesKeptBehindASnapshotAreSentAsAppends(long keepFrom, boolean expectSnapshot) {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.isolate(3);
        c.propose(1, "a", "b", "c", "d", "e", "f");
        c.stabilize();
        c.node(1).log.snapshotKeeping(6, keepFrom, c.status(1).config());
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.transcript().contains("1->3 SNAPSHOT")).isEqualTo(expectSnapshot);
        assertThat(c.status(3).commitIndex()).isEqualTo(7);
        assertThat(c.node(3).applied).extracting(Entry::index)
                .containsExactlyElementsOf(expectSnapshot ? List.of(1L, 7L) : List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L));
    }

    @Test
    void followerWhoseDiskWasWipedIsProbedAgain() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.propose(1, "a", "b");
        c.stabilize();
        assertThat(c.node(1).core.progress().get(3L).match()).isEqualTo(3);
        c.note("node 3 loses its disk and restarts empty");
        c.nodes.remove(3L);
        c.add(3, MemoryLog.bootstrap(1L, 2L, 3L));
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.status(3).commitIndex()).isEqualTo(3);
        assertThat(c.node(3).log.lastIndex()).isEqualTo(3);
        assertThat(c.node(1).core.progress().get(3L).match()).isEqualTo(3);
    }

    @Test
    void restartedNodesResumeWithoutReapplyingOrForgettingTheirVote() {
        Cluster c = new Cluster(3);
        c.elect(1);
        c.propose(1, "a", "b");
        c.stabilize();
        c.restart(2);
        c.restart(1);
        assertThat(c.status(1).term()).isEqualTo(1);
        assertThat(c.node(2).log.hardState().votedFor()).isEqualTo(1);
        c.tickAllUntil("someone leads", () -> c.nodes.values().stream()
                .anyMatch(n -> n.status().role() == Role.LEADER), 100);
        c.propose(c.status(1).role() == Role.LEADER ? 1 : c.status(2).role() == Role.LEADER ? 2 : 3, "c");
        c.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).applied).as("node %s applies each entry exactly once", id)
                    .extracting(Entry::index).doesNotHaveDuplicates().containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    private static MemoryLog copyOf(MemoryLog log) {
        return new MemoryLog(log.snapshot().config());
    }
}
