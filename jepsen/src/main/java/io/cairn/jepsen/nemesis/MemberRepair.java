package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.Membership;
import io.cairn.jepsen.cluster.NodeProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an operator does with a member that lost its data or its place in the cluster: remove it
 * through the others (v2 members API), wipe its data dir, add it back and start it with
 * {@code --initial-cluster-state existing}, so it catches up from the leader as a fresh member.
 */
final class MemberRepair {
    /** Limit for each membership step (a change needs a leader and a quorum). */
    static final Duration STEP_LIMIT = Duration.ofSeconds(30);
    /** How long a restarted member gets to refuse its data (it checks its log early in its start). */
    static final Duration REFUSAL_WINDOW = Duration.ofSeconds(10);

    private final Cluster cluster;
    private final Membership membership;
    private final V2Client probe = new V2Client(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(1));

    MemberRepair(Cluster cluster) {
        this.cluster = cluster;
        this.membership = new Membership(cluster);
    }

    Membership membership() {
        return membership;
    }

    /**
     * Restarts {@code node} on its data dir; if it refuses to start within the refusal window,
     * replaces it. Says what happened.
     */
    String restartOrReplace(NodeProcess node) throws Exception {
        node.start();
        OptionalInt exit = awaitExitUnlessServing(node);
        if (exit.isEmpty()) {
            return node.spec().name() + " restarted";
        }
        String why = damageReported(node) ? "refused to start (damaged log, exit " + exit.getAsInt() + ")"
                : "exited " + exit.getAsInt() + " at start without a damage report";
        return node.spec().name() + " " + why + "; " + replace(node);
    }

    /** Removes, wipes, adds back and starts {@code node}; says how far it got. */
    String replace(NodeProcess node) throws Exception {
        node.kill();
        if (!membership.remove(node.spec(), STEP_LIMIT)) {
            return "repair failed: could not remove " + node.spec().name() + " within " + STEP_LIMIT;
        }
        return "removed through another member, " + addBack(node);
    }

    /** Wipes {@code node} (already removed and stopped), adds it back and starts it joining. */
    String addBack(NodeProcess node) throws Exception {
        node.kill();
        node.wipeData();
        if (!membership.add(node.spec(), STEP_LIMIT)) {
            return "repair failed: removed and wiped " + node.spec().name() + " but could not add it back within "
                    + STEP_LIMIT;
        }
        node.startJoining();
        return "wiped and added back (member add, started with --initial-cluster-state existing)";
    }

    /**
     * After the chaos phase: every member is in the member list and running; a missing one is
     * added back fresh, one that refuses to start is replaced.
     */
    void restoreAll() throws Exception {
        for (NodeProcess n : cluster.nodes()) {
            Optional<Boolean> listed = membership.contains(n.spec());
            if (listed.isPresent() && !listed.get()) {
                addBack(n);
            } else if (!n.isRunning()) {
                restartOrReplace(n);
            }
        }
    }

    /**
     * Waits for the member to exit or to answer HTTP (it checks its log before it serves
     * clients), at most the refusal window; its exit code if it exited.
     */
    private OptionalInt awaitExitUnlessServing(NodeProcess node) throws InterruptedException {
        long deadline = System.nanoTime() + REFUSAL_WINDOW.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalInt exit = node.awaitExit(Duration.ofMillis(200));
            if (exit.isPresent() || serving(node)) {
                return exit;
            }
        }
        return OptionalInt.empty();
    }

    private boolean serving(NodeProcess node) {
        try {
            return probe.getPath(node.spec().clientUrl(), "/v2/stats/self").status() == 200;
        } catch (NoAnswerException e) {
            return false;
        }
    }

    /** Whether the member's own log says it refused a damaged Raft log. */
    private static boolean damageReported(NodeProcess node) throws IOException {
        if (!Files.exists(node.spec().logFile())) {
            return false;
        }
        try (RandomAccessFile raf = new RandomAccessFile(node.spec().logFile().toFile(), "r")) {
            long from = Math.max(0, raf.length() - 16 * 1024);
            byte[] tail = new byte[(int) (raf.length() - from)];
            raf.seek(from);
            raf.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8).contains("is damaged");
        }
    }
}
