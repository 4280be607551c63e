package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import java.util.List;
import java.util.Random;

/** A kind of fault the harness injects. */
public interface Nemesis {
    String name();

    /** Injects one fault into the running cluster. */
    Fault inject(Cluster cluster, Random random) throws Exception;

    /** Before the members first start (put something in the way of their first connections, say). */
    default void beforeStart(Cluster cluster) throws Exception {
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
