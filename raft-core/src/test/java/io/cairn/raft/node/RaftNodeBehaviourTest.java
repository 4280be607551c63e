package io.cairn.raft.node;

import static io.cairn.raft.node.TestCluster.put;
import static io.cairn.raft.node.TestCluster.putAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.node.RaftException.Reason;
import io.cairn.raft.node.TestCluster.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runtime behaviour around the edges: shutdown, back-pressure, timeouts, lease reads, metrics. */
class RaftNodeBehaviourTest {
    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static CompletableFuture<String> propose(RaftNode<String> node, String command) {
        return node.propose(command.getBytes(StandardCharsets.UTF_8));
    }

    private static Reason reasonOf(CompletableFuture<?> future) {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause();
            assertThat(cause).isInstanceOf(RaftException.class);
            return ((RaftException) cause).reason();
        }
        throw new AssertionError("future completed normally");
    }

    private static Set<String> nodeThreads(long id) {
        String suffix = "-" + Long.toHexString(id);
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("cairn-") && n.endsWith(suffix) && !n.startsWith("cairn-transport"))
                .collect(Collectors.toSet());
    }

    @Test
    void closeFailsPendingRequestsAndLeavesNoThreads() {
        // Only one of three voters runs: no quorum, so requests stay pending until close.
        cluster = new TestCluster(Kind.MEMORY).start(1, 2, 3);
        cluster.crash(2);
        cluster.crash(3);
        RaftNode<String> node = cluster.node(1);
        assertThat(nodeThreads(1)).contains("cairn-raft-1", "cairn-apply-1", "cairn-tick-1");
        CompletableFuture<String> proposal = propose(node, "never");
        CompletableFuture<Long> read = node.readIndex();
        CompletableFuture<Void> change = node.removeMember(3);

        node.close();

        assertThat(reasonOf(proposal)).isEqualTo(Reason.CLOSED);
        assertThat(reasonOf(read)).isEqualTo(Reason.CLOSED);
        assertThat(reasonOf(change)).isIn(Reason.CLOSED, Reason.NO_LEADER);
        assertThat(reasonOf(propose(node, "after-close"))).isEqualTo(Reason.CLOSED);
        assertThat(node.isClosed()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeThreads(1).isEmpty());
        assertThat(cluster.network().isRegistered(1)).isFalse();
        node.close(); // idempotent
    }

    @Test
    void proposalWithoutQuorumTimesOut() {
        cluster = new TestCluster(Kind.MEMORY, b -> b.requestTimeout(Duration.ofMillis(300))).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        for (long id : cluster.running()) {
            if (id != leader.id()) {
                cluster.crash(id);
            }
        }

        assertThat(reasonOf(propose(leader, "lonely"))).isEqualTo(Reason.TIMEOUT);
        assertThat(reasonOf(leader.readIndex())).isEqualTo(Reason.TIMEOUT);
    }

    @Test
    void tooManyPendingProposalsFailFast() {
        cluster = new TestCluster(Kind.MEMORY, b -> b.maxPendingProposals(5)).start(1, 2, 3);
        cluster.crash(2);
        cluster.crash(3);
        RaftNode<String> alone = cluster.node(1);
        List<CompletableFuture<String>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(propose(alone, "p" + i));
        }

        CompletableFuture<String> rejected = propose(alone, "one-too-many");

        assertThat(rejected).isCompletedExceptionally();
        assertThat(reasonOf(rejected)).isEqualTo(Reason.OVERLOADED);
        assertThat(pending).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void proposalsWaitForALeaderInsteadOfFailing() {
        cluster = new TestCluster(Kind.MEMORY).start(1, 2, 3);
        // Proposed immediately, before any election could finish.
        CompletableFuture<String> early = propose(cluster.node(1), "early");

        assertThat(early.orTimeout(20, TimeUnit.SECONDS).join()).endsWith(":early");
        cluster.awaitReplicated(List.of("early"));
    }

    @Test
    void leaseReadsAreServedByTheLeaderAndSeeAcknowledgedWrites() {
        cluster = new TestCluster(Kind.MEMORY, b -> b.readMode(RaftConfig.ReadMode.LEASE)).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        for (int i = 0; i < 10; i++) {
            put(leader, "l" + i);
            for (long id : cluster.running()) {
                long index = cluster.node(id).readIndex().orTimeout(20, TimeUnit.SECONDS).join();
                assertThat(cluster.machine(id).commands()).contains("l" + i);
                assertThat(cluster.machine(id).lastAppliedIndex()).isGreaterThanOrEqualTo(index);
            }
        }
    }

    @Test
    void isolatedLeaseLeaderStopsServingReads() {
        cluster = new TestCluster(Kind.MEMORY, b -> b.readMode(RaftConfig.ReadMode.LEASE)
                .requestTimeout(Duration.ofSeconds(2))).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        put(leader, "x");

        cluster.network().isolate(leader.id());

        // Within a few election timeouts the lease lapses (and CheckQuorum deposes the leader):
        // from then on no read is served locally any more.
        await().atMost(TestCluster.TIMEOUT).until(() -> {
            try {
                leader.readIndex().get(5, TimeUnit.SECONDS);
                return false;
            } catch (Exception e) {
                return e.getCause() instanceof RaftException r && r.reason() == Reason.TIMEOUT;
            }
        });
    }

    @Test
    void exportsMetersAndRemovesThemOnClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InMemoryRegistryCluster.start(registry, cluster = new TestCluster(Kind.MEMORY));
        RaftNode<String> leader = cluster.awaitLeader();
        putAll(leader, List.of("m1", "m2", "m3"));
        cluster.awaitReplicated(List.of("m1", "m2", "m3"));
        String node = Long.toHexString(leader.id());

        await().atMost(TestCluster.TIMEOUT).untilAsserted(() -> {
            assertThat(registry.get("cairn.raft.term").tag("node", node).gauge().value()).isPositive();
            assertThat(registry.get("cairn.raft.leader").tag("node", node).gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("cairn.raft.commit.index").tag("node", node).gauge().value()).isGreaterThanOrEqualTo(4);
            assertThat(registry.get("cairn.raft.applied.index").tag("node", node).gauge().value()).isGreaterThanOrEqualTo(4);
        });
        assertThat(registry.get("cairn.raft.proposal.latency").tag("node", node).timer().count()).isEqualTo(3);
        assertThat(registry.get("cairn.raft.persist.latency").tag("node", node).timer().count()).isPositive();
        assertThat(registry.get("cairn.raft.persist.entries").tag("node", node).summary().totalAmount())
                .isGreaterThanOrEqualTo(4);
        assertThat(registry.get("cairn.raft.leader.changes").tag("node", node).counter().count()).isPositive();

        cluster.close();
        assertThat(registry.find("cairn.raft.term").tag("node", node).gauge()).isNull();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void leaderListenersHearAboutElections() {
        cluster = new TestCluster(Kind.MEMORY).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        long other = cluster.running().stream().filter(id -> id != leader.id()).findFirst().orElseThrow();
        cluster.node(other).addLeaderListener((leaderId, term, local) -> seen.add(leaderId));

        cluster.crash(leader.id());

        await().atMost(TestCluster.TIMEOUT).until(() -> seen.stream().anyMatch(l -> l != 0 && l != leader.id()));
    }

    @Test
    void gracefulCloseHandsLeadershipOver() {
        cluster = new TestCluster(Kind.MEMORY).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        put(leader, "before");
        long oldLeader = leader.id();
        await().atMost(TestCluster.TIMEOUT).until(() -> leader.progress().size() == 3);

        leader.transferLeadershipAndClose(Duration.ofSeconds(10));

        List<Long> rest = cluster.running().stream().filter(id -> id != oldLeader).toList();
        // A successor was chosen by transfer, so it leads at once (no election timeout needed).
        assertThat(rest.stream().anyMatch(id -> cluster.node(id).isLeader())).isTrue();
        assertThatThrownBy(() -> propose(leader, "late").join()).isInstanceOf(CompletionException.class);
    }

    @Test
    void aLeaderWhosePeersHaveStoppedClosesWithoutWaitingOutTheTimeout() {
        // requests (the transfer among them) would otherwise wait an hour for their outcome
        cluster = new TestCluster(Kind.MEMORY, b -> b.requestTimeout(Duration.ofHours(1))).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        put(leader, "before");
        await().atMost(TestCluster.TIMEOUT).until(() -> leader.progress().size() == 3);
        for (long id : cluster.running()) {
            if (id != leader.id()) {
                cluster.crash(id); // the rest of a cluster stopped as a whole
            }
        }

        // nobody can take over: the leader stops within a few election timeouts, not the hour
        assertTimeoutPreemptively(TestCluster.TIMEOUT, () -> leader.transferLeadershipAndClose(Duration.ofHours(1)));
        assertThatThrownBy(() -> propose(leader, "late").join()).isInstanceOf(CompletionException.class);
    }

    @Test
    void aTransferToAStoppedMemberFailsOnceTheLeaderGivesItUp() {
        cluster = new TestCluster(Kind.MEMORY, b -> b.requestTimeout(Duration.ofHours(1))).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        put(leader, "before");
        long target = cluster.running().stream().filter(id -> id != leader.id()).findFirst().orElseThrow();
        cluster.crash(target); // the leader keeps its quorum with the third member

        // the core gives the transfer up after an election timeout; the future says so then, not in an hour
        assertThatThrownBy(() -> leader.transferLeadership(target).get(TestCluster.TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RaftException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
        assertThat(leader.isLeader()).isTrue();
        put(leader, "after"); // proposals are taken again once the transfer is over
    }

    @Test
    void caughtUpLearnerIsPromotedAndAddressesComeFromTheEmbeddersContext() {
        String prefix = "member:";
        cluster = new TestCluster(Kind.MEMORY).nodeOptions(b -> b.autoPromoteLearners(true)
                .addressOfContext(context -> new String(context, StandardCharsets.UTF_8).substring(prefix.length())))
                .start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        putAll(leader, List.of("p1", "p2"));
        cluster.startJoiner(4);

        byte[] context = (prefix + cluster.address(4)).getBytes(StandardCharsets.UTF_8);
        leader.addLearner(4, context).orTimeout(20, TimeUnit.SECONDS).join();

        await().atMost(TestCluster.TIMEOUT).untilAsserted(() -> assertThat(leader.status().config().isVoter(4))
                .as(cluster::describe).isTrue());
        cluster.awaitReplicated(List.of(4L), List.of("p1", "p2"));
        put(leader, "p3");
        cluster.awaitReplicated(List.of("p1", "p2", "p3"));
    }
}
