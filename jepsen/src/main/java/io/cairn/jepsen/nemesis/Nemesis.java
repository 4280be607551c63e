package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import java.util.List;
import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeSpec;
import java.io.IOException;
import java.util.Random;

/** A kind of fault the harness injects. */
public interface Nemesis {
    String name();

    /** Injects one fault into the running cluster. */
    Fault inject(Cluster cluster, Random random) throws Exception;

    /** Before the members first start (put something in the way of their first connections, say). */
    default void beforeStart(Cluster cluster) throws Exception {
    }

    /**
     * Before the cluster is created, when this nemesis is in the run: how {@code node} must be
     * started for this kind of fault to be injectable later (a preloaded library and its
     * environment, say). Every start of the member, restarts included, uses the result.
     */
    default MemberLaunch adaptLaunch(NodeSpec node, MemberLaunch launch) throws IOException {
        return launch;
    }

    /** Once the cluster is up, before the first fault (install a firewall chain, say). */
    default void setUp(Cluster cluster) throws Exception {
    }

    /**
     * After the chaos phase, whatever is still in force: undoes everything this kind of fault can
     * leave behind, even a fault whose own heal failed (the harness then restarts every member).
     */
    default void healAll(Cluster cluster) throws Exception {
    }

    /** After the run, once the members are stopped: releases whatever the nemesis holds (threads, sockets). */
    default void tearDown(Cluster cluster) throws Exception {
    }

    /**
     * Extra flags every member starts with when this nemesis is in the run (a tiny snapshot
     * threshold, say), so the fault meets the code path it is meant for.
     */
    default List<String> memberFlags() {
        return List.of();
    }

    /** The chaos phase lasts until at least this many faults have been injected, whatever its length. */
    default int minimumFaults() {
        return 1;
    }
}
