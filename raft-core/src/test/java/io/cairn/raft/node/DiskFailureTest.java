package io.cairn.raft.node;

import static io.cairn.raft.node.TestCluster.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.node.RaftException.Reason;
import io.cairn.raft.node.TestCluster.Kind;
import io.cairn.raft.storage.FileStorageOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose fsync fails stops for good (fail-stop): the write is never acknowledged, nothing
 * after it is either, {@link RaftNode#failure()} tells the embedder, and the rest of the cluster
 * goes on. Restarted on the same files with a working disk, it catches up.
 */
class DiskFailureTest {
    @TempDir
    Path dir;

    private final Map<Long, FailingDiskFileIO> disks = new HashMap<>();
    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private TestCluster cluster() {
        // A fresh disk per open: a restart gets a working one.
        cluster = new TestCluster(Kind.MEMORY).onFiles(dir, id -> {
            FailingDiskFileIO disk = new FailingDiskFileIO();
            disks.put(id, disk);
            return FileStorageOptions.builder().fileIO(disk).build();
        });
        return cluster;
    }

    private static CompletableFuture<String> propose(RaftNode<String> node, String command) {
        return node.propose(command.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLoneVoterWhoseFsyncFailsNeverAcknowledgesTheWriteAndStops() throws Exception {
        RaftNode<String> node = cluster().start(1).awaitLeader();
        assertThat(put(node, "before")).endsWith(":before");
        disks.get(1L).failForces();

        CompletableFuture<String> lost = propose(node, "during");

        assertThatThrownBy(() -> lost.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(RaftException.class)
                .satisfies(e -> assertThat(((RaftException) e.getCause()).reason()).isEqualTo(Reason.FAILED));
        Throwable failure = node.failure().get(20, TimeUnit.SECONDS);
        assertThat(failure).hasRootCauseMessage("Input/output error (injected fsync failure)");
        assertThat(node.isClosed()).isTrue();
        CompletableFuture<String> after = propose(node, "after");
        assertThatThrownBy(() -> after.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(RaftException.class);
        assertThat(cluster.machine(1).commands()).containsExactly("before");
        assertThat(disks.get(1L).failedForces()).as("no fsync retried after the failure").isEqualTo(1);
    }

    @Test
    void aFollowerWhoseFsyncFailsStopsTheOthersGoOnAndItCatchesUpAfterARestart() throws Exception {
        cluster().start(1, 2, 3);
        RaftNode<String> leader = cluster.awaitLeader();
        long follower = cluster.running().stream().filter(id -> id != leader.id()).findFirst().orElseThrow();
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            put(leader, "a" + i);
            acknowledged.add("a" + i);
        }
        disks.get(follower).failForces();

        for (int i = 0; i < 5; i++) {
            String command = "b" + i;
            put(leader, command);
            acknowledged.add(command);
        }

        RaftNode<String> broken = cluster.node(follower);
        assertThat(broken.failure().get(20, TimeUnit.SECONDS)).hasRootCauseMessage("Input/output error (injected fsync failure)");
        assertThat(broken.isClosed()).isTrue();
        assertThat(cluster.machine(follower).commands()).isSubsetOf(acknowledged);

        cluster.crash(follower);
        cluster.restart(follower);
        put(leader, "after-restart");
        acknowledged.add("after-restart");
        cluster.awaitReplicated(acknowledged);
        assertThat(cluster.node(follower).failure()).isNotDone();
    }

    @Test
    void aPlainCloseIsNotAFailure() {
        RaftNode<String> node = cluster().start(1).awaitLeader();
        node.close();
        assertThat(node.failure()).isNotDone();
        assertThatThrownBy(() -> propose(node, "x").join()).isInstanceOf(CompletionException.class);
    }
}
