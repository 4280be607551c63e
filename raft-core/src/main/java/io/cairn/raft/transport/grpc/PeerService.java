package io.cairn.raft.transport.grpc;

import io.cairn.raft.core.Message;
import io.cairn.raft.transport.Transport;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.cairn.raft.transport.grpc.proto.SnapshotAck;
import io.cairn.raft.transport.grpc.proto.SnapshotChunk;
import io.cairn.raft.transport.grpc.proto.StreamAccepted;
import io.cairn.raft.transport.grpc.proto.WireMessage;
import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the peer protocol. Runs behind {@link ClusterIdInterceptor}, so the caller's
 * id is verified; messages are handed to the node on gRPC's executor, in stream order.
 *
 * <p>Replication is served with {@link BatchUnsealer}'s method descriptor rather than the generated
 * one, so each batch's seal is checked over the bytes as read; the other methods keep their
 * generated definitions.
 */
final class PeerService implements BindableService, RaftPeerGrpc.AsyncService {
    private static final Logger log = LoggerFactory.getLogger(PeerService.class);

    private final long localId;
    private final Transport.InboundHandler handler;
    private final TransportMetrics metrics;
    private final LongConsumer streamOpened;
    private final Set<String> loggedRejections = ConcurrentHashMap.newKeySet();

    /** {@code streamOpened} hears the id of every peer whose replication stream this node accepts. */
    PeerService(long localId, Transport.InboundHandler handler, TransportMetrics metrics, LongConsumer streamOpened) {
        this.localId = localId;
        this.streamOpened = streamOpened;
        this.handler = handler;
        this.metrics = metrics;
    }

    /**
     * The generated service definition with replicate swapped for {@link BatchUnsealer#METHOD}
     * (so the default {@code replicate} of {@link RaftPeerGrpc.AsyncService} is never bound);
     * interceptors wrap it like any other service.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(RaftPeerGrpc.SERVICE_NAME)
                .addMethod(BatchUnsealer.METHOD, ServerCalls.asyncBidiStreamingCall(this::receiveBatches));
        for (ServerMethodDefinition<?, ?> method : RaftPeerGrpc.bindService(this).getMethods()) {
            if (!method.getMethodDescriptor().getFullMethodName().equals(BatchUnsealer.METHOD.getFullMethodName())) {
                service.addMethod(method);
            }
        }
        return service.build();
    }

    /** The replicate call: batches from one peer, each with its seal's verdict. */
    StreamObserver<ReceivedBatch> receiveBatches(StreamObserver<StreamAccepted> accepted) {
        long sender = PeerHeaders.callerId();
        boolean sealed = Boolean.TRUE.equals(PeerHeaders.SEALED_BATCHES.get());
        Counter received = metrics.received(sender);
        accepted.onNext(StreamAccepted.newBuilder().setNodeId(localId).build());
        streamOpened.accept(sender);
        return new StreamObserver<>() {
            private boolean failed;

            @Override
            public void onNext(ReceivedBatch receivedBatch) {
                if (failed) {
                    return;
                }
                String damage = sealed ? receivedBatch.damage() : null;
                if (damage != null) {
                    // Nothing of a damaged stream is trusted: the sender reconnects and Raft
                    // retransmits whatever this batch held.
                    failed = true;
                    log.warn("replication stream from {} refused: {}", PeerHeaders.format(sender), damage);
                    accepted.onError(Status.DATA_LOSS.withDescription(damage).asRuntimeException());
                    return;
                }
                MessageBatch batch = receivedBatch.batch();
                for (WireMessage wire : batch.getMessagesList()) {
                    deliver(sender, wire);
                }
                received.increment(batch.getMessagesCount());
            }

            @Override
            public void onError(Throwable t) {
                log.debug("replication stream from {} ended: {}", PeerHeaders.format(sender), t.toString());
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    accepted.onCompleted();
                }
            }
        };
    }

    private void deliver(long sender, WireMessage wire) {
        Message message;
        try {
            message = MessageCodec.decode(wire);
        } catch (IllegalArgumentException e) {
            // Skipped rather than failing the stream: a peer running a newer version would
            // otherwise reconnect and fail forever. Raft tolerates a lost message.
            warnOnce(sender, "undecodable", "message skipped: " + e.getMessage());
            return;
        }
        if (message.to() != localId || message.from() != sender) {
            warnOnce(sender, "misrouted", "message skipped (" + PeerHeaders.format(message.from()) + "->"
                    + PeerHeaders.format(message.to()) + " on a stream from " + PeerHeaders.format(sender) + ")");
            return;
        }
        try {
            handler.onMessage(message);
        } catch (RuntimeException e) {
            log.warn("inbound handler failed on {}", message, e);
        }
    }

    /** Logs the first problem of each kind per peer; a broken peer repeats itself endlessly. */
    private void warnOnce(long sender, String kind, String detail) {
        if (loggedRejections.add(PeerHeaders.format(sender) + "/" + kind)) {
            log.warn("from peer {}: {} {} (further ones not logged)", PeerHeaders.format(sender), kind, detail);
        }
    }

    @Override
    public StreamObserver<SnapshotChunk> installSnapshot(StreamObserver<SnapshotAck> acks) {
        return new SnapshotReceiver(localId, PeerHeaders.callerId(), handler, acks);
    }
}
