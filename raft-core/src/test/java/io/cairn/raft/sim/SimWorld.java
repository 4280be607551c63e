package io.cairn.raft.sim;

import io.cairn.raft.core.Message;
import java.util.Random;

/** What a simulated node's runtime can reach outside itself. */
interface SimWorld {
    EventQueue events();

    Random random();

    SimOptions options();

    SafetyChecker checker();

    ClientWorkload workload();

    SimStats stats();

    /** Hands a message to the network; {@code image} travels beside a SNAPSHOT message. */
    void send(SimNode from, Message message, SnapshotImage image);
}
