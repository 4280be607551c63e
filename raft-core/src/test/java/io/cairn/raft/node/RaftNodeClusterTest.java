package io.cairn.raft.node;

import static io.cairn.raft.node.TestCluster.put;
import static io.cairn.raft.node.TestCluster.putAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.Role;
import io.cairn.raft.node.TestCluster.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The runtime end to end: the same scenarios over the in-memory transport and over gRPC on loopback. */
class RaftNodeClusterTest {
    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> commands(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void electsExactlyOneLeaderThatEveryNodeKnows(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);

        RaftNode<String> leader = cluster.awaitLeader();

        long leaders = cluster.running().stream().filter(id -> cluster.node(id).isLeader()).count();
        assertThat(leaders).isEqualTo(1);
        for (long id : cluster.running()) {
            assertThat(cluster.node(id).status().term()).isEqualTo(leader.status().term());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void replicatesProposalsInOrderToEveryNode(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        List<String> commands = commands("c", 200);

        List<String> results = putAll(leader, commands);

        assertThat(results).hasSize(200).allMatch(r -> r.matches("\\d+:c\\d+"));
        assertThat(results.get(199)).endsWith(":c199");
        cluster.awaitReplicated(commands);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void followerForwardsProposalsAndCompletesItsOwnFuture(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        RaftNode<String> follower = cluster.node(cluster.running().stream().filter(id -> id != leader.id())
                .findFirst().orElseThrow());

        List<String> results = putAll(follower, commands("f", 20));

        assertThat(results).hasSize(20);
        assertThat(results.get(0)).endsWith(":f0");
        assertThat(results.get(19)).endsWith(":f19");
        cluster.awaitReplicated(commands("f", 20));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void leaderCrashLosesNoCommittedEntry(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);
        RaftNode<String> first = cluster.awaitLeader();
        List<String> acknowledged = new ArrayList<>(commands("a", 50));
        putAll(first, acknowledged);

        cluster.crash(first.id());
        RaftNode<String> second = cluster.awaitLeader();
        assertThat(second.id()).isNotEqualTo(first.id());
        List<String> more = commands("b", 50);
        putAll(second, more);
        acknowledged.addAll(more);

        cluster.awaitReplicated(acknowledged);
        cluster.restart(first.id());
        cluster.awaitReplicated(acknowledged);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void wholeClusterRestartsFromDiskAndReappliesExactlyOnce(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);
        List<String> commands = commands("r", 30);
        putAll(cluster.awaitLeader(), commands);
        cluster.awaitReplicated(commands);

        for (long id : List.of(1L, 2L, 3L)) {
            cluster.crash(id);
        }
        for (long id : List.of(1L, 2L, 3L)) {
            cluster.restart(id);
        }

        cluster.awaitReplicated(commands);
        RaftNode<String> leader = cluster.awaitLeader();
        put(leader, "after-restart");
        List<String> expected = new ArrayList<>(commands);
        expected.add("after-restart");
        cluster.awaitReplicated(expected);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void restartsFromFilesWithSnapshotsAndCompactedLogs(Kind kind, @TempDir Path dir) {
        cluster = new TestCluster(kind, b -> b.snapshotEveryEntries(25).entriesKeptAfterSnapshot(5)).onFiles(dir)
                .start(1, 2, 3);
        List<String> commands = commands("d", 80);
        putAll(cluster.awaitLeader(), commands);
        cluster.awaitReplicated(commands);
        cluster.awaitCompactedPast(25);

        for (long id : List.of(1L, 2L, 3L)) {
            cluster.crash(id);
        }
        for (long id : List.of(1L, 2L, 3L)) {
            cluster.restart(id);
        }

        // Fresh state machines: each restores the stored snapshot, then replays the log after it.
        cluster.awaitReplicated(commands);
        for (long id : List.of(1L, 2L, 3L)) {
            assertThat(cluster.machine(id).restores()).isEqualTo(1);
        }
        put(cluster.awaitLeader(), "after-restart");
        List<String> expected = new ArrayList<>(commands);
        expected.add("after-restart");
        cluster.awaitReplicated(expected);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void laggingFollowerCatchesUpBySnapshotAfterCompaction(Kind kind) {
        cluster = new TestCluster(kind, b -> b.snapshotEveryEntries(20).entriesKeptAfterSnapshot(5)).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        long lagging = cluster.running().stream().filter(id -> id != leader.id()).findFirst().orElseThrow();
        cluster.crash(lagging);

        List<String> commands = commands("s", 120);
        putAll(leader, commands);
        // Every live member compacted past the lagging node's log: only a snapshot can help it.
        cluster.awaitCompactedPast(50);

        cluster.restart(lagging);
        cluster.awaitReplicated(commands);
        if (kind == Kind.MEMORY) {
            // The in-memory network drops what was sent to a dead node. Over gRPC the leader's
            // send queue may still hold appends from before the crash and deliver them late,
            // legitimately, so there the snapshot path is asserted with a new member below.
            assertThat(cluster.machine(lagging).restores()).as(cluster::describe).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void newMemberCatchesUpBySnapshotWhenTheLogIsCompacted(Kind kind) {
        cluster = new TestCluster(kind, b -> b.snapshotEveryEntries(20).entriesKeptAfterSnapshot(5)).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        List<String> commands = commands("n", 60);
        putAll(leader, commands);
        cluster.awaitCompactedPast(List.of(leader.id()), 30);

        cluster.startJoiner(4);
        leader.addLearner(4, cluster.address(4)).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();

        cluster.awaitReplicated(List.of(4L), commands);
        assertThat(cluster.machine(4).restores()).as(cluster::describe).isPositive();
        // The snapshot may predate the addLearner entry, which then arrives by append.
        await().atMost(TestCluster.TIMEOUT).until(() -> cluster.node(4).status().config().isLearner(4));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void addsAndRemovesMembers(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        putAll(leader, commands("m", 10));

        cluster.startJoiner(4);
        leader.addVoter(4, cluster.address(4)).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        cluster.awaitReplicated(List.of(4L), commands("m", 10));
        await().atMost(TestCluster.TIMEOUT).until(() -> cluster.node(4).status().config().isVoter(4));

        long removed = cluster.running().stream().filter(id -> id != leader.id() && id != 4).findFirst().orElseThrow();
        leader.removeMember(removed).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(leader.status().config().voters()).doesNotContain(removed).contains(4L);
        cluster.crash(removed);

        put(leader, "after-membership-change");
        List<String> expected = new ArrayList<>(commands("m", 10));
        expected.add("after-membership-change");
        cluster.awaitReplicated(expected);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void transfersLeadership(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        put(leader, "before-transfer");
        long target = cluster.running().stream().filter(id -> id != leader.id()).findFirst().orElseThrow();

        leader.transferLeadership(target).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();

        await().atMost(TestCluster.TIMEOUT).until(() -> cluster.node(target).isLeader());
        assertThat(cluster.node(target).status().role()).isEqualTo(Role.LEADER);
        put(cluster.node(target), "after-transfer");
        cluster.awaitReplicated(List.of("before-transfer", "after-transfer"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readIndexSeesEveryAcknowledgedWriteOnEveryNode(Kind kind) {
        cluster = new TestCluster(kind).start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        for (int round = 0; round < 5; round++) {
            String command = "w" + round;
            put(leader, command);
            for (long id : cluster.running()) {
                long index = cluster.node(id).readIndex().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
                // Linearizable: once readIndex completes the acknowledged write is visible locally.
                assertThat(cluster.machine(id).commands()).contains(command);
                assertThat(cluster.machine(id).lastAppliedIndex()).isGreaterThanOrEqualTo(index);
            }
        }
    }
}
