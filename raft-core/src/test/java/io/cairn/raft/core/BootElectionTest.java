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
    void aMemberRestartedBesideALiveLeaderDoesNotUnseatIt() {
        Cluster c = new Cluster(3, 7, ADVANCE);
        assertThat(c.ticksUntilALeader(3 * ELECTION_TICKS)).isPositive();
        long leader = c.nodes.keySet().stream().filter(id -> c.status(id).role() == Role.LEADER).findFirst().orElseThrow();
        long follower = c.nodes.keySet().stream().filter(id -> id != leader).findFirst().orElseThrow();
        long term = c.status(leader).term();

        c.restart(follower);
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
