package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.RaftConfig;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * With {@code initialElectionTickAdvance} a cluster booted as a whole elects within one election
 * timeout (not one to two), never before a heartbeat interval has passed, and a member booted
 * beside a live leader does not disturb it.
 */
class BootElectionTest {
    private static final int ELECTION_TICKS = 10;
    private static final int HEARTBEAT_TICKS = 1;
    private static final UnaryOperator<RaftConfig.Builder> ADVANCE = b -> b.initialElectionTickAdvance(true);

    @Test
    void aClusterBootedTogetherElectsWithinOneElectionTimeout() {
        for (long seed = 1; seed <= 50; seed++) {
            int ticks = new Cluster(3, seed, ADVANCE).ticksUntilALeader(3 * ELECTION_TICKS);

            assertThat(ticks).as("seed %d", seed).isBetween(2, ELECTION_TICKS);
        }
    }

    @Test
    void withoutTheAdvanceTheFirstElectionWaitsAWholeTimeout() {
        for (long seed = 1; seed <= 50; seed++) {
            int ticks = new Cluster(3, seed, b -> b).ticksUntilALeader(3 * ELECTION_TICKS);

            assertThat(ticks).as("seed %d", seed).isGreaterThanOrEqualTo(ELECTION_TICKS);
        }
    }

    @Test
    void aCampaignStartedBeforeItsPeersListenedAsksThemAgainOnTheNextHeartbeat() {
        for (Role stage : new Role[] {Role.PRE_CANDIDATE, Role.CANDIDATE}) {
            Cluster c = new Cluster(3, 11, b -> b.preVote(stage == Role.PRE_CANDIDATE));
            c.drop("every vote request: the peers are still starting",
                    m -> m.type() == MessageType.PRE_VOTE || m.type() == MessageType.VOTE);
            c.campaign(1);
            c.stabilize();
            assertThat(c.status(1).role()).isEqualTo(stage);
            c.heal();

            c.tick(1, 1); // one heartbeat interval, far short of an election timeout
            c.stabilize();

            assertThat(c.status(1).role()).as("campaign as %s", stage).isEqualTo(Role.LEADER);
        }
    }

    @Test
    void membersThatSeeTheirPeersUpCampaignOneHeartbeatIntervalLaterInsteadOfAtRandom() {
        for (long seed = 1; seed <= 50; seed++) {
            Cluster c = new Cluster(3, seed, ADVANCE);
            for (long id : c.nodes.keySet()) {
                c.nodes.keySet().forEach(peer -> c.node(id).core.peerReachable(peer));
            }

            int ticks = c.ticksUntilALeader(3 * ELECTION_TICKS);

            assertThat(ticks).as("seed %d", seed).isEqualTo(HEARTBEAT_TICKS + 1);
        }
    }

    @Test
    void theTimerIsBroughtForwardOnlyOnceAQuorumIsUpAndNeverPushedBack() {
        for (long seed = 1; seed <= 50; seed++) {
            int atRandom = ticksUntilCampaign(new Cluster(5, seed, ADVANCE), 3);

            Cluster onePeerUp = new Cluster(5, seed, ADVANCE);
            onePeerUp.node(3).core.peerReachable(1);
            Cluster quorumUp = new Cluster(5, seed, ADVANCE);
            quorumUp.node(3).core.peerReachable(1);
            quorumUp.node(3).core.peerReachable(5);

            assertThat(ticksUntilCampaign(onePeerUp, 3)).as("seed %d, 2 of 5 up", seed).isEqualTo(atRandom);
            // two voters (1 and 2) have lower ids than 3: a tick each after the heartbeat interval
            assertThat(ticksUntilCampaign(quorumUp, 3)).as("seed %d, 3 of 5 up", seed)
                    .isEqualTo(Math.min(atRandom, HEARTBEAT_TICKS + 1 + 2));
        }
    }

    @Test
    void aMemberThatHeardOfALeaderIgnoresItsPeersComingUp() {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = new Cluster(3, seed, ADVANCE);
            c.inject(Message.builder(MessageType.HEARTBEAT).from(2).to(1).term(1).build());
            c.stabilize();

            c.node(1).core.peerReachable(2);
            c.node(1).core.peerReachable(3);

            assertThat(c.status(1).leaderId()).isEqualTo(2);
            assertThat(ticksUntilCampaign(c, 1)).as("seed %d: a whole timeout after the leader was last heard", seed)
                    .isGreaterThanOrEqualTo(ELECTION_TICKS);
        }
    }

    /** Ticks {@code id} alone; how many ticks until it leaves the follower role. */
    private static int ticksUntilCampaign(Cluster c, long id) {
        RaftCore core = c.node(id).core;
        for (int tick = 1; tick <= 3 * ELECTION_TICKS; tick++) {
            core.tick();
            if (core.status().role() != Role.FOLLOWER) {
                return tick;
            }
        }
        return -1;
    }

    @Test
    void aMemberRestartedBesideALiveLeaderDoesNotUnseatIt() {
        Cluster c = new Cluster(3, 7, ADVANCE);
        assertThat(c.ticksUntilALeader(3 * ELECTION_TICKS)).isPositive();
        long leader = c.nodes.keySet().stream().filter(id -> c.status(id).role() == Role.LEADER).findFirst().orElseThrow();
        long follower = c.nodes.keySet().stream().filter(id -> id != leader).findFirst().orElseThrow();
        long term = c.status(leader).term();

        c.restart(follower);
        c.nodes.keySet().forEach(peer -> c.node(follower).core.peerReachable(peer)); // its peers are up
        for (int tick = 0; tick < 3 * ELECTION_TICKS; tick++) {
            for (long id : c.nodes.keySet()) {
                c.tick(id, 1);
            }
            c.stabilize();
        }

        assertThat(c.status(leader).role()).isEqualTo(Role.LEADER);
        assertThat(c.status(leader).term()).isEqualTo(term);
        assertThat(c.status(follower).leaderId()).isEqualTo(leader);
    }
}
