package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadIndexQueueTest {
    private static final ClusterConfig THREE = ClusterConfig.ofVoters(1L, 2L, 3L);

    @Test
    void oneRoundConfirmsEveryRequestQueuedBeforeIt() {
        ReadIndexQueue q = new ReadIndexQueue();
        q.add(10, 1, 5);
        q.add(11, 2, 5);
        assertThat(q.needsNewRound()).isTrue();
        long round = q.startRound(1);
        assertThat(q.needsNewRound()).isFalse();
        q.add(12, 1, 6);
        assertThat(q.needsNewRound()).as("a request after the broadcast waits for the open round").isFalse();
        assertThat(q.acknowledge(round, 2, THREE)).extracting(ReadIndexQueue.Request::requestId)
                .containsExactly(10L, 11L);
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.needsNewRound()).as("and needs the next round once it is confirmed").isTrue();
    }

    @Test
    void requestsArrivingWhileARoundIsOpenShareTheNextRound() {
        ReadIndexQueue q = new ReadIndexQueue();
        q.add(1, 1, 3);
        long first = q.startRound(1);
        q.add(2, 2, 4);
        q.add(3, 3, 4);
        q.add(4, 1, 5);
        assertThat(q.needsNewRound()).isFalse();
        assertThat(q.openRound()).as("regular heartbeats carry the open round again").isEqualTo(first);
        assertThat(q.acknowledge(first, 2, THREE)).extracting(ReadIndexQueue.Request::requestId)
                .containsExactly(1L);
        assertThat(q.needsNewRound()).isTrue();
        long second = q.startRound(1);
        assertThat(q.needsNewRound()).isFalse();
        assertThat(q.acknowledge(second, 3, THREE)).extracting(ReadIndexQueue.Request::index)
                .containsExactly(4L, 4L, 5L);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void aLaterRoundAlsoConfirmsEarlierOnes() {
        ReadIndexQueue q = new ReadIndexQueue();
        q.add(1, 1, 3);
        long first = q.startRound(1);
        q.add(2, 1, 4);
        long second = q.startRound(1);
        assertThat(q.openRound()).isEqualTo(second);
        assertThat(q.acknowledge(second, 3, THREE)).extracting(ReadIndexQueue.Request::requestId)
                .containsExactly(1L, 2L);
        assertThat(q.acknowledge(first, 2, THREE)).as("already confirmed").isEmpty();
        assertThat(q.openRound()).isZero();
    }

    @Test
    void learnersAndOutsidersDoNotConfirm() {
        ReadIndexQueue q = new ReadIndexQueue();
        q.add(1, 1, 3);
        long round = q.startRound(1);
        ClusterConfig withLearner = new ClusterConfig(java.util.Set.of(1L, 2L, 3L), java.util.Set.of(4L));
        assertThat(q.acknowledge(round, 4, withLearner)).isEmpty();
        assertThat(q.acknowledge(round, 9, withLearner)).isEmpty();
        assertThat(q.acknowledge(round, 2, withLearner)).hasSize(1);
    }

    @Test
    void deferredRequestsReadAtTheCommitOfTheirRelease() {
        ReadIndexQueue q = new ReadIndexQueue();
        q.deferUntilOwnTermCommit(7, 2);
        assertThat(q.needsNewRound()).isFalse();
        assertThat(q.isEmpty()).isFalse();
        q.releaseDeferred(9);
        long round = q.startRound(1);
        assertThat(q.acknowledge(round, 3, THREE)).containsExactly(new ReadIndexQueue.Request(7, 2, 9, round));
        assertThat(q.isEmpty()).isTrue();
    }
}
