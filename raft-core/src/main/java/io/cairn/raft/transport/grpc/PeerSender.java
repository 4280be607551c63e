package io.cairn.raft.transport.grpc;

import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.cairn.raft.transport.grpc.proto.StreamAccepted;
import io.cairn.raft.transport.grpc.proto.WireMessage;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
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
 * memory. A broken stream is reopened after an exponential backoff with jitter, or sooner when
 * the peer shows it is up (it opened a stream to us) or an election waits on it.
 *
 * <p>Threading: {@link #offer} may be called from any thread. All stream state is confined to
 * an {@link InlineSerializer}, so the stream is never used concurrently, yet the caller of
 * {@link #offer} (normally the node's event loop) writes the batch itself when no other thread
 * is at it: a message reaches gRPC without waking another thread first. The transport's sender
 * thread is the channel's callback executor and runs the reconnect timers.
 */
final class PeerSender {
    private static final Logger log = LoggerFactory.getLogger(PeerSender.class);
    /** Least spacing of reconnects that skip the backoff: a storm of votes or streams costs 20 attempts a second at most. */
    private static final long EARLY_RECONNECT_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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
    /** Identifies the pending reconnect timer, so a timer overtaken by an early reconnect does nothing. */
    private long reconnectGeneration;
    /**
     * Reconnects wait for the channel to leave TRANSIENT_FAILURE before they open the stream; the
     * reconnect timer keeps running meanwhile, so a waiting sender always has {@code reconnect} set.
     */
    private boolean awaitingChannel;
    /** When the last stream was opened (System.nanoTime), which spaces early reconnects. */
    private long lastAttemptNanos;
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
        if (message.type() == MessageType.PRE_VOTE || message.type() == MessageType.VOTE) {
            // No leader can be elected while this peer is out of reach, so the backoff, sized for
            // a peer that stays down, must not hold a vote back from a peer that has just started.
            serial.execute(this::reconnectEarly);
        }
        return true;
    }

    /**
     * Opens the stream before there is anything to send, so that connecting (and, in a fresh
     * process, loading the classes that takes) overlaps the rest of start-up instead of holding
     * back the first election's votes.
     */
    void connect() {
        serial.execute(() -> {
            if (!closed && stream == null && reconnect == null) {
                openStream();
            }
        });
    }

    /** The peer opened a stream to this node, so it is up: a broken stream to it need not wait out its backoff. */
    void peerIsUp() {
        if (!closed) {
            serial.execute(this::reconnectEarly);
        }
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
        lastAttemptNanos = System.nanoTime();
        ClientCalls.asyncBidiStreamingCall(channel.newCall(BatchSealer.METHOD, CallOptions.DEFAULT),
                new ReplicationStream());
        // a new stream must start taking messages within the stall timeout too
        blockedSince = queue.isEmpty() ? 0 : System.nanoTime();
    }

    private void reconnect(long generation) {
        if (generation != reconnectGeneration || reconnect == null) {
            return; // an early reconnect got there first
        }
        reconnect = null;
        if (closed) {
            return;
        }
        lastAttemptNanos = System.nanoTime();
        ConnectivityState state = channel.getState(false);
        // Our backoff already spaced the attempts; the channel's own must not add to it.
        channel.resetConnectBackoff();
        if (state != ConnectivityState.TRANSIENT_FAILURE) {
            openStream();
            return;
        }
        // The reset reconnects asynchronously, and until then a new call fails at once: the stream
        // opens once the channel has left the failed state (which gRPC's pick-first reports only
        // once connected). Meanwhile our timer keeps resetting the channel's own, slower backoff.
        if (!awaitingChannel) {
            awaitingChannel = true;
            channel.notifyWhenStateChanged(state, () -> serial.execute(this::channelLeftFailure));
        }
        scheduleReconnect();
    }

    private void channelLeftFailure() {
        awaitingChannel = false;
        if (closed || stream != null) {
            return;
        }
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        openStream();
    }

    /** Reconnects now rather than when the backoff timer fires, unless the last attempt was very recent. */
    private void reconnectEarly() {
        if (closed || stream != null || reconnect == null
                || System.nanoTime() - lastAttemptNanos < EARLY_RECONNECT_SPACING_NANOS) {
            return;
        }
        reconnect.cancel(false);
        reconnect(reconnectGeneration);
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
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        Duration delay = backoff.next();
        long generation = ++reconnectGeneration;
        try {
            reconnect = senderThread.schedule(() -> serial.execute(() -> reconnect(generation)), delay.toNanos(),
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
