package io.cairn.raft.transport.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.cairn.raft.core.Message;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.cairn.raft.transport.grpc.proto.SnapshotAck;
import io.cairn.raft.transport.grpc.proto.SnapshotChunk;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one snapshot over its own InstallSnapshot call: the SNAPSHOT message rides on the first
 * chunk, then the data follows in chunks of a fixed size, one at a time. The receiver
 * acknowledges every chunk, and each acknowledgement must arrive within the chunk timeout, so a
 * large snapshot over a slow link is fine while a stalled one fails promptly. Only one chunk is
 * ever in memory.
 *
 * <p>Reads happen on the snapshot executor; gRPC serialises this call's callbacks, and the
 * methods are synchronized against the timeout timer and the starting thread.
 */
final class SnapshotSender implements ClientResponseObserver<SnapshotChunk, SnapshotAck> {
    private final Message message;
    private final SnapshotStore.StoredSnapshot snapshot;
    private final int chunkBytes;
    private final Duration chunkTimeout;
    private final ScheduledExecutorService timer;
    private final TransportMetrics.Peer meters;
    private final CompletableFuture<Void> result = new CompletableFuture<>();

    private ClientCallStreamObserver<SnapshotChunk> requests;
    private InputStream input;
    private long sent;
    private long acknowledged;
    private boolean finalSent;
    private ScheduledFuture<?> timeout;
    private Exception cancelCause;

    SnapshotSender(Message message, SnapshotStore.StoredSnapshot snapshot, int chunkBytes, Duration chunkTimeout,
                   ScheduledExecutorService timer, TransportMetrics.Peer meters) {
        this.message = message;
        this.snapshot = snapshot;
        this.chunkBytes = chunkBytes;
        this.chunkTimeout = chunkTimeout;
        this.timer = timer;
        this.meters = meters;
    }

    /** Starts the transfer on {@code executor}; the future completes once the receiver committed. */
    CompletableFuture<Void> start(RaftPeerGrpc.RaftPeerStub stub, Executor executor) {
        result.whenComplete((ok, failure) -> {
            if (failure instanceof CancellationException) {
                abandon(new CancellationException("snapshot transfer cancelled by the caller"));
            }
        });
        try {
            executor.execute(() -> begin(stub));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IOException("transport closed", e));
        }
        return result;
    }

    private synchronized void begin(RaftPeerGrpc.RaftPeerStub stub) {
        if (result.isDone()) {
            return;
        }
        try {
            input = snapshot.open(0);
        } catch (IOException | RuntimeException e) {
            finish(e);
            return;
        }
        stub.installSnapshot(this);
        sendNextChunk();
    }

    @Override
    public synchronized void beforeStart(ClientCallStreamObserver<SnapshotChunk> requests) {
        this.requests = requests;
    }

    private void sendNextChunk() {
        try {
            int length = (int) Math.min(chunkBytes, snapshot.sizeBytes() - sent);
            byte[] data = input.readNBytes(length);
            if (data.length != length) {
                throw new IOException("snapshot data ended at " + (sent + data.length) + " of "
                        + snapshot.sizeBytes() + " bytes");
            }
            boolean last = sent + length == snapshot.sizeBytes();
            SnapshotChunk.Builder chunk = SnapshotChunk.newBuilder()
                    .setOffset(sent)
                    .setData(UnsafeByteOperations.unsafeWrap(data))
                    .setFinal(last);
            if (sent == 0) {
                chunk.setHeader(MessageCodec.encode(message));
            }
            requests.onNext(chunk.build());
            sent += length;
            finalSent = last;
            if (last) {
                requests.onCompleted();
            }
            armTimeout();
        } catch (IOException | RuntimeException e) {
            abandon(e);
        }
    }

    private void armTimeout() {
        long expected = sent;
        timeout = timer.schedule(() -> abandon(new TimeoutException("snapshot chunk ending at " + expected
                        + " not acknowledged within " + chunkTimeout.toMillis() + " ms")),
                chunkTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void onNext(SnapshotAck ack) {
        if (result.isDone() || cancelCause != null) {
            return;
        }
        timeout.cancel(false);
        if (ack.getNextOffset() != sent) {
            abandon(new IOException("receiver acknowledged offset " + ack.getNextOffset() + ", expected " + sent));
            return;
        }
        meters.snapshotBytes.increment(sent - acknowledged);
        acknowledged = sent;
        if (ack.getCommitted()) {
            finish(null);
        } else if (finalSent) {
            abandon(new IOException("receiver did not commit after the final chunk"));
        } else {
            sendNextChunk();
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (cancelCause != null) {
            finish(cancelCause);
        } else {
            Status status = Status.fromThrowable(t);
            finish(new IOException("snapshot transfer failed: " + status.getCode() + " " + status.getDescription(), t));
        }
    }

    @Override
    public synchronized void onCompleted() {
        if (!result.isDone()) {
            finish(new IOException("receiver ended the transfer without committing"));
        }
    }

    /** Cancels the call; onError then completes the future with {@code cause}. */
    private synchronized void abandon(Exception cause) {
        if (result.isDone() && !(cause instanceof CancellationException)) {
            return;
        }
        if (requests == null) {
            finish(cause);
            return;
        }
        if (cancelCause == null) {
            cancelCause = cause;
            requests.cancel(cause.getMessage(), cause);
        }
    }

    private void finish(Exception failure) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        closeInput();
        if (result.isDone()) {
            return;
        }
        if (failure == null) {
            result.complete(null);
        } else {
            meters.snapshotFailures.increment();
            result.completeExceptionally(failure);
        }
    }

    private void closeInput() {
        if (input != null) {
            try {
                input.close();
            } catch (IOException ignored) {
                // read-only; nothing to lose
            }
            input = null;
        }
    }
}
