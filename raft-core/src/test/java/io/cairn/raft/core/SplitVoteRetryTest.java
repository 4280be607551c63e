package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Members that split a vote (they campaigned at once, as a cluster restarted as a whole does once
 * its connections come up together) retry staggered by id, two heartbeat intervals apart, rather
 * than after another random election timeout that may split again.
 */
class SplitVoteRetryTest {
    private static final int ELECTION_TICKS = 10; // the Cluster helper's: heartbeat 1 tick, election 10

    @Test
    void afterASplitVoteTheLowestIdRetriesFirstAndWinsWellWithinAnElectionTimeout() {
        Cluster c = splitVote(5);
        long term = c.status(1).term();

        int ticks = c.ticksUntilALeader(3 * ELECTION_TICKS);

        assertThat(ticks).isEqualTo(2);
        assertThat(c.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(c.status(1).term()).isEqualTo(term + 1);
    }

    @Test
    void aLoserThatCannotWinGivesWayToTheNextInLine() {
        Cluster c = splitVote(9);
        c.isolate(1);

        int ticks = c.ticksUntilALeader(3 * ELECTION_TICKS);

        assertThat(ticks).isEqualTo(4);
        assertThat(c.status(2).role()).isEqualTo(Role.LEADER);
    }

    /** Three members that all campaigned before hearing each other: each voted for itself and lost. */
    private static Cluster splitVote(long seed) {
        Cluster c = new Cluster(3, seed, b -> b);
        for (long id : List.of(1L, 2L, 3L)) {
            c.campaign(id);
        }
        c.stabilize();
        for (long id : List.of(1L, 2L, 3L)) {
            assertThat(c.status(id).role()).as("member %d", id).isEqualTo(Role.FOLLOWER);
            assertThat(c.status(id).leaderId()).isZero();
        }
        assertThat(c.status(1).term()).isEqualTo(c.status(2).term()).isEqualTo(c.status(3).term());
        return c;
    }
}
