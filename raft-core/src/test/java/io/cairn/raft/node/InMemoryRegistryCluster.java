package io.cairn.raft.node;

import io.micrometer.core.instrument.MeterRegistry;

/** Starts a 3-node test cluster whose nodes register their meters with one registry. */
final class InMemoryRegistryCluster {
    private InMemoryRegistryCluster() {
    }

    static void start(MeterRegistry registry, TestCluster cluster) {
        cluster.meterRegistry(registry).start(1, 2, 3);
    }
}
