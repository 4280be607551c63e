package io.cairn.raft.transport.grpc;

import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.Transport;
import io.cairn.raft.transport.grpc.proto.SnapshotAck;
import io.cairn.raft.transport.grpc.proto.SnapshotChunk;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one InstallSnapshot call. The first chunk names the snapshot; its data is
 * written to a writer from {@link Transport.InboundHandler#openSnapshot}, chunks must be
 * contiguous, and the final chunk commits the writer before the SNAPSHOT message is handed to the
 * node, so the node never sees a snapshot whose data is not durable. Any problem aborts the
 * writer and fails the call, which fails the sender's future.
 */
final class SnapshotReceiver implements StreamObserver<SnapshotChunk> {
    private static final Logger log = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final long localId;
    private final long senderId;
    private final Transport.InboundHandler handler;
    private final StreamObserver<SnapshotAck> acks;

    private Message message;
    private SnapshotStore.Writer writer;
    private long written;
    private boolean done;

    SnapshotReceiver(long localId, long senderId, Transport.InboundHandler handler, StreamObserver<SnapshotAck> acks) {
        this.localId = localId;
        this.senderId = senderId;
        this.handler = handler;
        this.acks = acks;
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
        if (done) {
            return;
        }
        try {
            if (writer == null) {
                open(chunk);
            }
            if (chunk.getOffset() != written) {
                throw invalid("chunk at offset " + chunk.getOffset() + " but " + written + " bytes were received");
            }
            chunk.getData().writeTo(writer.output());
            written += chunk.getData().size();
            if (chunk.getFinal()) {
                commit();
            } else {
                acks.onNext(SnapshotAck.newBuilder().setNextOffset(written).build());
            }
        } catch (StatusRuntimeException e) {
            fail(e.getStatus());
        } catch (IOException | RuntimeException e) {
            log.warn("receiving snapshot from {} failed", PeerHeaders.format(senderId), e);
            fail(Status.INTERNAL.withDescription("snapshot not stored: " + e).withCause(e));
        }
    }

    private void open(SnapshotChunk first) throws IOException {
        if (!first.hasHeader() || first.getOffset() != 0) {
            throw invalid("the first chunk must carry the SNAPSHOT message at offset 0");
        }
        Message header;
        try {
            header = MessageCodec.decode(first.getHeader());
        } catch (IllegalArgumentException e) {
            throw invalid("undecodable SNAPSHOT message: " + e.getMessage());
        }
        if (header.type() != MessageType.SNAPSHOT || header.snapshot() == null) {
            throw invalid("expected a SNAPSHOT message with metadata, got " + header.type());
        }
        if (header.to() != localId || header.from() != senderId) {
            throw invalid("message " + header + " does not travel from " + PeerHeaders.format(senderId)
                    + " to " + PeerHeaders.format(localId));
        }
        message = header;
        writer = handler.openSnapshot(header);
    }

    private void commit() throws IOException {
        writer.output().flush();
        writer.commit();
        done = true;
        log.info("stored snapshot {}/{} ({} bytes) from {}", message.snapshot().index(), message.snapshot().term(),
                written, PeerHeaders.format(senderId));
        try {
            handler.onMessage(message);
        } catch (RuntimeException e) {
            log.warn("inbound handler failed on {}", message, e);
        }
        acks.onNext(SnapshotAck.newBuilder().setNextOffset(written).setCommitted(true).build());
        acks.onCompleted();
    }

    private static StatusRuntimeException invalid(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
    }

    private void fail(Status status) {
        abort();
        acks.onError(status.asRuntimeException());
    }

    private void abort() {
        if (!done) {
            done = true;
            if (writer != null) {
                writer.abort();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        // the sender cancelled or the connection broke: the partial data must not survive
        if (!done) {
            log.info("snapshot transfer from {} interrupted after {} bytes: {}", PeerHeaders.format(senderId),
                    written, Status.fromThrowable(t));
        }
        abort();
    }

    @Override
    public void onCompleted() {
        if (!done) {
            fail(Status.INVALID_ARGUMENT.withDescription("transfer ended before the final chunk"));
        }
    }
}
