package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.RaftConfig;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A follower told by its runtime that the leader is unreachable (its connection broke, as when the
 * leader's process dies) campaigns after two silent heartbeat intervals instead of a whole
 * election timeout, and the hint can never unseat a leader that is still heard.
 */
class LeaderLossTest {
    private static final int ELECTION_TICKS = 10;

    private static Cluster electedCluster(UnaryOperator<RaftConfig.Builder> tweak) {
        Cluster c = new Cluster(3, 1, tweak);
        c.elect(1);
        c.stabilize();
        return c;
    }

    private static void reportUnreachable(Cluster c, long peer, long to) {
        c.inject(Message.builder(MessageType.UNREACHABLE).from(peer).to(to).build());
    }

    /** Ticks 2 and 3 (1 is gone) with full delivery until one leads; returns the ticks taken, or -1. */
    private static int ticksUntilSurvivorLeads(Cluster c, int maxTicks) {
        for (int tick = 1; tick <= maxTicks; tick++) {
            c.tick(2, 1);
            c.tick(3, 1);
            c.stabilize();
            if (c.status(2).role() == Role.LEADER || c.status(3).role() == Role.LEADER) {
                return tick;
            }
        }
        return -1;
    }

    @Test
    void survivorsOfACrashedLeaderElectANewOneWithinAFewHeartbeats() {
        Cluster c = electedCluster(b -> b);
        long term = c.status(2).term();
        c.isolate(1);
        reportUnreachable(c, 1, 2);
        reportUnreachable(c, 1, 3);

        int ticks = ticksUntilSurvivorLeads(c, ELECTION_TICKS - 1);

        // Two silent heartbeat intervals, then the lower-ranked survivor; no split vote.
        assertThat(ticks).isBetween(2, 3);
        assertThat(c.status(2).role()).isEqualTo(Role.LEADER);
        assertThat(c.status(3).leaderId()).isEqualTo(2);
        assertThat(c.status(2).term()).isEqualTo(term + 1);
    }

    @Test
    void withoutTheHintTheSurvivorsWaitForTheElectionTimeout() {
        Cluster c = electedCluster(b -> b);
        c.isolate(1);

        assertThat(ticksUntilSurvivorLeads(c, ELECTION_TICKS - 1)).isEqualTo(-1);
        assertThat(ticksUntilSurvivorLeads(c, 3 * ELECTION_TICKS)).isPositive();
    }

    @Test
    void aFollowerThatStillHearsTheLeaderRefusesTheEarlyCandidate() {
        Cluster c = electedCluster(b -> b);
        long term = c.status(3).term();
        // Only 2 lost its connection to 1 (and hears nothing from it); 3 still hears the leader.
        c.drop("1 -> 2", m -> m.from() == 1 && m.to() == 2);
        reportUnreachable(c, 1, 2);

        for (int tick = 0; tick < ELECTION_TICKS - 1; tick++) {
            c.tick(1, 1);
            c.tick(2, 1);
            c.tick(3, 1);
            c.stabilize();
        }

        // 2's PreVote failed: nobody's term moved, and 1 still leads.
        assertThat(c.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(c.status(3).leaderId()).isEqualTo(1);
        assertThat(c.status(1).term()).isEqualTo(term);
        assertThat(c.status(3).term()).isEqualTo(term);
    }

    @Test
    void aHintAboutALeaderThatIsStillHeardIsForgotten() {
        Cluster c = electedCluster(b -> b);
        long term = c.status(1).term();
        reportUnreachable(c, 1, 2);
        reportUnreachable(c, 1, 3);

        for (int tick = 0; tick < 3 * ELECTION_TICKS; tick++) {
            c.tickAll(1);
            c.stabilize();
        }

        assertThat(c.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(c.status(2).term()).isEqualTo(term);
        assertThat(c.status(3).term()).isEqualTo(term);
    }

    @Test
    void leaseReadsKeepTheFullElectionTimeout() {
        // A leader serving lease reads counts on followers not voting within the election timeout.
        Cluster c = electedCluster(b -> b.readMode(RaftConfig.ReadMode.LEASE));
        c.isolate(1);
        reportUnreachable(c, 1, 2);
        reportUnreachable(c, 1, 3);

        assertThat(ticksUntilSurvivorLeads(c, ELECTION_TICKS - 1)).isEqualTo(-1);
    }
}
