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
        assertThat(q.needsNewRound()).as("a request after the broadcast needs the next round").isTrue();
        assertThat(q.acknowledge(round, 2, THREE)).extracting(ReadIndexQueue.Request::requestId)
                .containsExactly(10L, 11L);
        assertThat(q.size()).isEqualTo(1);
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
