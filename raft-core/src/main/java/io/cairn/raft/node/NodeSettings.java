package io.cairn.raft.node;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.storage.Storage;
import io.cairn.raft.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** Everything {@link RaftNode.Builder} collected, validated, for the engine to start from. */
record NodeSettings<R>(
        RaftConfig config,
        Storage storage,
        Transport transport,
        StateMachine<R> stateMachine,
        Map<Long, String> peers,
        ClusterConfig bootstrap,
        MeterRegistry meterRegistry,
        Random random,
        LongSupplier nanoClock,
        boolean autoPromoteLearners,
        Function<byte[], String> addressOfContext,
        long incarnation) {
}
