package io.cairn.raft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A removed member applies the entry that removes it, so its embedder can notice and stop. */
class RemovalNoticeTest {
    private TestCluster cluster;

    @AfterEach
    void close() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRemovedLeaderAppliesItsOwnRemoval() {
        cluster = new TestCluster(TestCluster.Kind.GRPC).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        TestCluster.put(leader, "before"); // a leader refuses a change until an entry of its term has committed
        leader.removeMember(leader.id()).orTimeout(20, TimeUnit.SECONDS).join();
        long removalIndex = leader.status().commitIndex();
        await().atMost(TestCluster.TIMEOUT).untilAsserted(() -> {
            assertThat(leader.status().config().isVoter(leader.id())).isFalse();
            assertThat(leader.status().appliedIndex()).isGreaterThanOrEqualTo(removalIndex);
        });
    }

    @Test
    void aRemovedFollowerAppliesItsOwnRemoval() {
        cluster = new TestCluster(TestCluster.Kind.GRPC).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        TestCluster.put(leader, "before"); // a leader refuses a change until an entry of its term has committed
        long removed = cluster.running().stream().filter(id -> id != leader.id()).findFirst().orElseThrow();
        leader.removeMember(removed).orTimeout(20, TimeUnit.SECONDS).join();
        long removalIndex = leader.status().commitIndex();
        await().atMost(TestCluster.TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.node(removed).status().config().isVoter(removed)).isFalse();
            assertThat(cluster.node(removed).status().appliedIndex()).isGreaterThanOrEqualTo(removalIndex);
        });
    }
}
