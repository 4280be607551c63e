package io.cairn.raft.transport.grpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Micrometer meters of the peer transport, tagged by peer id. No registry means no-op meters. */
final class TransportMetrics {
    private final MeterRegistry registry;

    TransportMetrics(MeterRegistry registry) {
        // a composite with no children hands out meters that record nothing
        this.registry = registry != null ? registry : new CompositeMeterRegistry();
    }

    Peer forPeer(long peerId, Supplier<Number> queuedMessages, Supplier<Number> queuedBytes) {
        return new Peer(registry, PeerHeaders.format(peerId), queuedMessages, queuedBytes);
    }

    Counter received(long peerId) {
        return Counter.builder("cairn.transport.received.messages")
                .description("Raft messages received from a peer")
                .tag("peer", PeerHeaders.format(peerId)).register(registry);
    }

    /** Meters of one outgoing peer link; removed from the registry when the peer goes away. */
    static final class Peer {
        private final MeterRegistry registry;
        private final List<Meter> meters = new ArrayList<>();
        final Counter sentMessages;
        final Counter sentBytes;
        final Counter droppedMessages;
        final Counter streamFailures;
        final Counter snapshotBytes;
        final Counter snapshotFailures;

        private Peer(MeterRegistry registry, String peer, Supplier<Number> queuedMessages, Supplier<Number> queuedBytes) {
            this.registry = registry;
            sentMessages = add(Counter.builder("cairn.transport.sent.messages")
                    .description("Raft messages written to a peer's stream").tag("peer", peer).register(registry));
            sentBytes = add(Counter.builder("cairn.transport.sent.bytes")
                    .description("Serialized bytes written to a peer's stream").tag("peer", peer).register(registry));
            droppedMessages = add(Counter.builder("cairn.transport.dropped.messages")
                    .description("Messages dropped because a peer's send queue was full").tag("peer", peer)
                    .register(registry));
            streamFailures = add(Counter.builder("cairn.transport.stream.failures")
                    .description("Replication streams to a peer that broke").tag("peer", peer).register(registry));
            snapshotBytes = add(Counter.builder("cairn.transport.snapshot.sent.bytes")
                    .description("Snapshot bytes acknowledged by a peer").tag("peer", peer).register(registry));
            snapshotFailures = add(Counter.builder("cairn.transport.snapshot.failures")
                    .description("Snapshot transfers to a peer that failed").tag("peer", peer).register(registry));
            add(Gauge.builder("cairn.transport.queue.messages", queuedMessages)
                    .description("Messages waiting in a peer's send queue").tag("peer", peer).register(registry));
            add(Gauge.builder("cairn.transport.queue.bytes", queuedBytes)
                    .description("Approximate bytes waiting in a peer's send queue").tag("peer", peer)
                    .register(registry));
        }

        private <M extends Meter> M add(M meter) {
            meters.add(meter);
            return meter;
        }

        void remove() {
            meters.forEach(registry::remove);
        }
    }
}
