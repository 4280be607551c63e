package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.NodeSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes every fsync and fdatasync of one member (the leader half of the time) fail with EIO,
 * through libfiu. Java's {@code FileChannel.force} and RocksDB both end in those two calls.
 * A correct member acknowledges nothing it could not make durable and stops with a non-zero
 * status (after a failed fsync the page cache no longer says what the disk holds, so neither
 * going on nor retrying is safe). Healing disables the failure point and, if the member died,
 * restarts it on the same data dir, where it must catch up without losing acknowledged writes.
 */
public final class FsyncErrorNemesis implements Nemesis {
    /** fsync and fdatasync; failinfo is the errno libfiu reports (5: EIO). */
    private static final String FAIL_POINT = "posix/io/sync/*";
    private static final int EIO = 5;
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    /** Members whose failure point is on: disabling one that is off makes libfiu log a parse error. */
    private final Set<NodeProcess> failing = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "fsync-error";
    }

    @Override
    public MemberLaunch adaptLaunch(NodeSpec node, MemberLaunch launch) throws IOException {
        return LibFiu.preload(node, launch);
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        List<NodeProcess> nodes = cluster.nodes().stream().filter(NodeProcess::isRunning).toList();
        if (nodes.isEmpty()) {
            throw new IllegalStateException("no running member to break");
        }
        Optional<NodeProcess> leader = cluster.leader();
        NodeProcess victim = leader.isPresent() && random.nextBoolean() ? leader.get()
                : nodes.get(random.nextInt(nodes.size()));
        LibFiu.control(victim, "enable name=" + FAIL_POINT + ",failinfo=" + EIO);
        failing.add(victim);
        String injected = "fsync/fdatasync fail with EIO on " + victim.spec().name() + (leader.equals(Optional.of(victim)) ? " (leader)" : "");
        return new Fault() {
            private String outcome = "";

            @Override
            public String description() {
                return injected + outcome;
            }

            @Override
            public void heal() throws Exception {
                failing.remove(victim);
                // A short fault (the last of a run) may end before the member's next fsync: give it
                // the time a write takes to reach it. Still running then means it swallowed the error.
                OptionalInt status = victim.awaitExit(EXIT_GRACE);
                if (status.isEmpty() && victim.isRunning()) {
                    try {
                        LibFiu.control(victim, "disable name=" + FAIL_POINT);
                        outcome = "; " + victim.spec().name() + " still running, failure point disabled";
                        return;
                    } catch (IOException e) {
                        if (victim.isRunning()) {
                            throw e;
                        } // it died meanwhile: restart it below
                    }
                }
                if (status.isEmpty()) {
                    status = victim.awaitExit(EXIT_GRACE);
                }
                victim.start();
                outcome = "; " + victim.spec().name() + " had exited"
                        + (status.isPresent() ? " with status " + status.getAsInt() : "") + ", restarted";
            }
        };
    }

    @Override
    public void healAll(Cluster cluster) throws InterruptedException {
        for (NodeProcess n : List.copyOf(failing)) {
            failing.remove(n);
            try {
                if (n.isRunning()) {
                    LibFiu.control(n, "disable name=" + FAIL_POINT);
                }
            } catch (IOException e) {
                // it died meanwhile: the harness restarts it, and a new process starts without the failure point
            }
        }
    }
}
