package io.cairn.raft.transport.grpc;

import io.cairn.raft.core.Message;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.cairn.raft.transport.grpc.proto.StreamAccepted;
import io.cairn.raft.transport.grpc.proto.WireMessage;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that leaves this node for one peer. Messages wait in a queue bounded by count and
 * bytes; a long-lived replication stream drains it, batching whatever is queued into one frame,
 * and only while gRPC reports the stream ready, so a slow peer fills the queue rather than
 * memory. A broken stream is reopened after an exponential backoff with jitter.
 *
 * <p>Threading: {@link #offer} may be called from any thread. All stream state is confined to
 * an {@link InlineSerializer}, so the stream is never used concurrently, yet the caller of
 * {@link #offer} (normally the node's event loop) writes the batch itself when no other thread
 * is at it: a message reaches gRPC without waking another thread first. The transport's sender
 * thread is the channel's callback executor and runs the reconnect timers.
 */
final class PeerSender {
    private static final Logger log = LoggerFactory.getLogger(PeerSender.class);

    /** Limits shared by every peer of one transport. */
    record Limits(int maxQueuedMessages, long maxQueuedBytes, long maxBatchBytes,
                  int snapshotChunkBytes, Duration snapshotChunkTimeout, Duration stallTimeout) {
    }

    private final long peerId;
    private final PeerAddress address;
    private final ManagedChannel channel;
    private final RaftPeerGrpc.RaftPeerStub stub;
    private final ScheduledExecutorService senderThread;
    private final Executor snapshotExecutor;
    private final LongConsumer unreachable;
    private final Limits limits;
    private final Backoff backoff;
    private final TransportMetrics.Peer meters;

    private final InlineSerializer serial = new InlineSerializer();
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Set by a drop, cleared by the next accepted message: one report per episode of drops. */
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private volatile boolean closed;

    // confined to the serializer
    private ClientCallStreamObserver<MessageBatch> stream;
    private ScheduledFuture<?> reconnect;
    /** A failure was reported and no stream has been accepted since. */
    private boolean outage;
    /** Since when messages have been waiting for a stream that takes nothing (0: not waiting). */
    private long blockedSince;
    private final ScheduledFuture<?> watchdog;

    PeerSender(long peerId, PeerAddress address, ManagedChannel channel, ScheduledExecutorService senderThread,
               Executor snapshotExecutor, LongConsumer unreachable, Limits limits, Backoff backoff,
               TransportMetrics metrics) {
        this.peerId = peerId;
        this.address = address;
        this.channel = channel;
        this.stub = RaftPeerGrpc.newStub(channel);
        this.senderThread = senderThread;
        this.snapshotExecutor = snapshotExecutor;
        this.unreachable = unreachable;
        this.limits = limits;
        this.backoff = backoff;
        this.meters = metrics.forPeer(peerId, queuedMessages::get, queuedBytes::get);
        long period = Math.max(1, limits.stallTimeout().toNanos() / 4);
        this.watchdog = senderThread.scheduleAtFixedRate(() -> serial.execute(this::checkStalled), period, period,
                TimeUnit.NANOSECONDS);
    }

    PeerAddress address() {
        return address;
    }

    ManagedChannel channel() {
        return channel;
    }

    int queuedMessages() {
        return queuedMessages.get();
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    /**
     * Queues {@code message} unless the queue is full, in which case the message is dropped (Raft
     * retransmits) and the peer is reported unreachable (once per run of drops, as the runtime
     * only needs to hear it once). A message larger than the byte bound
     * still goes through when the queue is empty, so it cannot be stuck forever.
     */
    boolean offer(Message message) {
        if (closed) {
            return false;
        }
        long size = message.sizeBytes();
        int count = queuedMessages.incrementAndGet();
        long bytes = queuedBytes.addAndGet(size);
        if (count > 1 && (count > limits.maxQueuedMessages() || bytes > limits.maxQueuedBytes())) {
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-size);
            meters.droppedMessages.increment();
            if (overflowing.compareAndSet(false, true)) {
                // A full queue drops many messages; the runtime needs to hear it once per episode.
                // Reported from the sender thread: the caller may be the node's own event loop.
                runOnSenderThread(() -> {
                    if (!closed) {
                        unreachable.accept(peerId);
                    }
                });
            }
            return false;
        }
        if (overflowing.get()) {
            overflowing.set(false);
        }
        queue.add(message);
        if (drainScheduled.compareAndSet(false, true)) {
            serial.execute(this::drain);
        }
        return true;
    }

    /** Streams a snapshot on its own call; see {@link SnapshotSender}. */
    CompletableFuture<Void> sendSnapshot(Message message, SnapshotStore.StoredSnapshot snapshot) {
        SnapshotSender sender = new SnapshotSender(message, snapshot, limits.snapshotChunkBytes(),
                limits.snapshotChunkTimeout(), senderThread, meters);
        CompletableFuture<Void> result = sender.start(stub.withExecutor(snapshotExecutor), snapshotExecutor);
        result.whenComplete((ok, failure) -> {
            if (failure != null && !closed) {
                log.warn("snapshot {} to {} at {} failed: {}", message.snapshot().index(), PeerHeaders.format(peerId),
                        address, failure.toString());
            }
        });
        return result;
    }

    /** Drops the queue, cancels the stream and shuts the channel down (without waiting). */
    void close() {
        closed = true;
        watchdog.cancel(false);
        serial.execute(() -> {
            if (reconnect != null) {
                reconnect.cancel(false);
            }
            if (stream != null) {
                stream.cancel("peer removed or transport closed", null);
                stream = null;
            }
        });
        channel.shutdownNow();
        queue.clear();
        queuedMessages.set(0);
        queuedBytes.set(0);
        meters.remove();
    }

    private void runOnSenderThread(Runnable task) {
        try {
            senderThread.execute(task);
        } catch (RejectedExecutionException e) {
            // the transport is closing; whatever was pending is lost with it
        }
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            return;
        }
        if (stream == null) {
            if (reconnect == null) {
                openStream();
            }
            return; // the stream's onReady handler drains once it is connected
        }
        ClientCallStreamObserver<MessageBatch> current = stream;
        while (current.isReady() && !queue.isEmpty()) {
            MessageBatch batch = nextBatch();
            current.onNext(batch);
            blockedSince = 0;
            meters.sentMessages.increment(batch.getMessagesCount());
            meters.sentBytes.increment(BatchSealer.sealedSize(batch));
        }
        if (!queue.isEmpty() && blockedSince == 0) {
            blockedSince = System.nanoTime();
        }
    }

    /**
     * A stream that has taken nothing for the stall timeout while messages wait is given up:
     * its connection may be half dead (flow-control credit lost with damaged bytes, a handshake
     * that never completes) while keepalive pings still pass, and nothing else would end it.
     * The channel drops its connection too, so the next stream starts on a fresh one.
     */
    private void checkStalled() {
        if (closed || stream == null || blockedSince == 0 || queue.isEmpty()) {
            return;
        }
        long waited = System.nanoTime() - blockedSince;
        if (waited < limits.stallTimeout().toNanos()) {
            return;
        }
        ClientCallStreamObserver<MessageBatch> stalled = stream;
        Status status = Status.UNAVAILABLE.withDescription("stream stalled: nothing sent for "
                + TimeUnit.NANOSECONDS.toMillis(waited) + " ms with " + queuedMessages.get() + " messages waiting");
        streamBroken(status, true);
        stalled.cancel(status.getDescription(), null);
    }

    /** The next batch to send, unsealed: {@link BatchSealer} seals it as gRPC writes it. */
    private MessageBatch nextBatch() {
        MessageBatch.Builder batch = MessageBatch.newBuilder();
        long bytes = 0;
        Message message;
        while (bytes < limits.maxBatchBytes() && (message = queue.poll()) != null) {
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-message.sizeBytes());
            WireMessage wire = MessageCodec.encode(message);
            batch.addMessages(wire);
            bytes += wire.getSerializedSize();
        }
        return batch.build();
    }

    private void openStream() {
        ClientCalls.asyncBidiStreamingCall(channel.newCall(BatchSealer.METHOD, CallOptions.DEFAULT),
                new ReplicationStream());
        // a new stream must start taking messages within the stall timeout too
        blockedSince = queue.isEmpty() ? 0 : System.nanoTime();
    }

    private void reconnect() {
        reconnect = null;
        if (closed) {
            return;
        }
        // Our backoff already spaced the attempts; the channel's own must not add to it.
        channel.resetConnectBackoff();
        openStream();
    }

    private void streamAccepted() {
        backoff.reset();
        if (outage) {
            outage = false;
            log.info("replication stream to {} at {} re-established", PeerHeaders.format(peerId), address);
        }
    }

    /** {@code connectionSuspect}: the next stream must not reuse the connection (see {@link #checkStalled}). */
    private void streamBroken(Status status, boolean connectionSuspect) {
        stream = null;
        blockedSince = 0;
        if (closed) {
            return;
        }
        if (connectionSuspect) {
            channel.enterIdle();
        }
        meters.streamFailures.increment();
        if (!outage) {
            outage = true;
            log.warn("replication stream to {} at {} failed: {} {}", PeerHeaders.format(peerId), address,
                    status.getCode(), status.getDescription());
            unreachable.accept(peerId);
        }
        Duration delay = backoff.next();
        try {
            reconnect = senderThread.schedule(() -> serial.execute(this::reconnect), delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the transport is closing
        }
    }

    /** Callbacks of one stream attempt; those of a superseded attempt are ignored. */
    private final class ReplicationStream implements ClientResponseObserver<MessageBatch, StreamAccepted> {
        private ClientCallStreamObserver<MessageBatch> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<MessageBatch> requests) {
            this.requests = requests;
            stream = requests;
            requests.setOnReadyHandler(() -> serial.execute(() -> {
                if (stream == requests) {
                    drain();
                }
            }));
        }

        @Override
        public void onNext(StreamAccepted accepted) {
            serial.execute(() -> {
                if (stream == requests) {
                    streamAccepted();
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            serial.execute(() -> {
                if (stream == requests) {
                    Status status = Status.fromThrowable(t);
                    // the receiver found damaged bytes: whatever carried them is suspect
                    streamBroken(status, status.getCode() == Status.Code.DATA_LOSS);
                }
            });
        }

        @Override
        public void onCompleted() {
            serial.execute(() -> {
                if (stream == requests) {
                    streamBroken(Status.UNAVAILABLE.withDescription("peer ended the stream"), false);
                }
            });
        }
    }
}
