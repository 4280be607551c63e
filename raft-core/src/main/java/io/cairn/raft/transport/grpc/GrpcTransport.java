package io.cairn.raft.transport.grpc;

import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.Transport;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Transport}: a gRPC peer service (see {@code raft_peer.proto}) with one
 * long-lived replication stream per peer and a separate chunked call per snapshot. Every inbound
 * call must carry this cluster's id and a non-zero sender id (see {@link PeerHeaders}).
 *
 * <p>Peer addresses are {@code host:port} or etcd-style peer URLs ({@code http://host:port});
 * host names are resolved by gRPC's DNS resolver and re-resolved when a connection fails, so a
 * restarted pod with a new IP is found again.
 *
 * <p>Threads: outgoing replication batches are written by the thread that sends them (see
 * {@link PeerSender}); one sender thread runs the channels' callbacks and reconnect timers; a
 * small pool reads snapshots; inbound replication batches are handed to the
 * {@link InboundHandler} on the network thread (handlers must not block), other inbound calls
 * (snapshot chunks) on a small pool. Netty's event loops are gRPC's shared ones.
 * {@link #close()} stops all of them.
 */
public final class GrpcTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(GrpcTransport.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Builder config;
    private final PeerAddress listenAddress;
    private final InetAddress bindAddress;
    private final PeerSender.Limits limits;
    private final TransportMetrics metrics;
    private final Random random = new Random();

    private final ScheduledThreadPoolExecutor senderThread;
    private final ThreadPoolExecutor snapshotExecutor;
    private final ThreadPoolExecutor inboundExecutor;
    private final Map<Long, PeerSender> peers = new ConcurrentHashMap<>();
    /** Channels of removed peers, awaited by close(). */
    private final List<ManagedChannel> retiredChannels = new CopyOnWriteArrayList<>();

    private volatile InboundHandler handler;
    private volatile Server server;
    private volatile boolean closed;
    /** Transfers handed out and not finished: close() fails them, since nothing else will. */
    private final java.util.Set<CompletableFuture<Void>> transfers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private GrpcTransport(Builder b) {
        this.config = b;
        this.listenAddress = PeerAddress.parse(b.listenAddress);
        this.bindAddress = resolve(b.bindAddress);
        this.limits = new PeerSender.Limits(b.maxQueuedMessages, b.maxQueuedBytes, b.maxBatchBytes,
                b.snapshotChunkBytes, b.snapshotChunkTimeout, b.stallTimeout);
        this.metrics = new TransportMetrics(b.meterRegistry);
        String prefix = "cairn-transport-" + PeerHeaders.format(b.localId);
        this.senderThread = new ScheduledThreadPoolExecutor(1, threads(prefix + "-send"));
        this.senderThread.setRemoveOnCancelPolicy(true);
        this.snapshotExecutor = pool(2, threads(prefix + "-snapshot"));
        this.inboundExecutor = pool(4, threads(prefix + "-inbound"));
    }

    /** A builder for the member {@code localId} of the cluster {@code clusterId} (both non-zero). */
    public static Builder builder(long localId, long clusterId) {
        return new Builder(localId, clusterId);
    }

    public long localId() {
        return config.localId;
    }

    public long clusterId() {
        return config.clusterId;
    }

    /** The port the peer server listens on (useful when built with port 0); -1 before start. */
    public int port() {
        Server s = server;
        return s == null ? -1 : s.getPort();
    }

    @Override
    public synchronized void start(InboundHandler inboundHandler) {
        Objects.requireNonNull(inboundHandler, "handler");
        if (server != null || closed) {
            throw new IllegalStateException("transport already started or closed");
        }
        this.handler = inboundHandler;
        ClusterIdInterceptor check = new ClusterIdInterceptor(config.clusterId, config.localId);
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(listenAddress.host(), listenAddress.port()))
                .executor(inboundExecutor)
                // Replication messages are only queued for the node's loop, so they are handled on
                // the network thread: a hop through the pool per batch costs a thread wake-up on
                // both ends of every round. Snapshot chunks (disk writes) stay on the pool.
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
                        // by name: the call's descriptor is BatchUnsealer's, not the generated one
                        return call.getMethodDescriptor().getFullMethodName()
                                .equals(RaftPeerGrpc.getReplicateMethod().getFullMethodName()) ? Runnable::run : null;
                    }
                })
                .maxInboundMessageSize(config.maxMessageBytes)
                // peers are trusted members; let them ping as often as their keepalive says
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(ServerInterceptors.intercept(new PeerService(config.localId, inboundHandler, metrics, this::peerIsUp), check));
        for (BindableService service : config.services) {
            builder.addService(ServerInterceptors.intercept(service, check));
        }
        for (BindableService service : config.exemptServices) {
            builder.addService(service);
        }
        if (config.tls != null) {
            builder.sslContext(config.tls.serverContext());
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for peers on " + listenAddress, e);
        }
        log.info("member {} of cluster {} serving peers on {}:{}", PeerHeaders.format(config.localId),
                PeerHeaders.format(config.clusterId), listenAddress.host(), port());
    }

    @Override
    public synchronized void addPeer(long id, String address) {
        if (id == 0 || id == config.localId) {
            throw new IllegalArgumentException("cannot add peer " + PeerHeaders.format(id));
        }
        PeerAddress parsed = PeerAddress.parse(address);
        if (closed) {
            return;
        }
        PeerSender existing = peers.get(id);
        if (existing != null) {
            if (existing.address().equals(parsed)) {
                return;
            }
            removePeer(id);
        }
        PeerSender sender = new PeerSender(id, parsed, channelTo(id, parsed), senderThread, snapshotExecutor,
                this::reportUnreachable, limits, new Backoff(config.initialBackoff, config.maxBackoff, random),
                metrics);
        peers.put(id, sender);
        sender.connect();
    }

    private void peerIsUp(long id) {
        PeerSender sender = peers.get(id);
        if (sender != null) {
            sender.peerIsUp();
        }
        tellHandler("reachable", id, InboundHandler::onReachable);
    }

    @Override
    public synchronized void removePeer(long id) {
        PeerSender sender = peers.remove(id);
        if (sender != null) {
            retiredChannels.add(sender.channel());
            sender.close();
        }
    }

    @Override
    public void send(Message message) {
        checkOutgoing(message);
        if (closed) {
            return;
        }
        PeerSender sender = peers.get(message.to());
        if (sender == null) {
            log.debug("no address for peer {}, dropping {}", PeerHeaders.format(message.to()), message.type());
            executeOnSenderThread(() -> reportUnreachable(message.to()));
            return;
        }
        sender.offer(message);
    }

    @Override
    public CompletableFuture<Void> sendSnapshot(Message message, SnapshotStore.StoredSnapshot snapshot) {
        checkOutgoing(message);
        if (message.type() != MessageType.SNAPSHOT || message.snapshot() == null) {
            throw new IllegalArgumentException("not a SNAPSHOT message with metadata: " + message);
        }
        PeerSender sender = peers.get(message.to());
        if (closed || sender == null) {
            return CompletableFuture.failedFuture(new IOException(closed ? "transport closed"
                    : "no address for peer " + PeerHeaders.format(message.to())));
        }
        CompletableFuture<Void> transfer = sender.sendSnapshot(message, snapshot);
        transfers.add(transfer);
        transfer.whenComplete((done, failure) -> transfers.remove(transfer));
        if (closed) {
            transfer.completeExceptionally(new IOException("transport closed"));
        }
        return transfer;
    }

    private void checkOutgoing(Message message) {
        if (handler == null) {
            throw new IllegalStateException("transport not started");
        }
        if (message.from() != config.localId) {
            throw new IllegalArgumentException("message from " + PeerHeaders.format(message.from())
                    + " sent through the transport of " + PeerHeaders.format(config.localId));
        }
    }

    /** Stops serving, cancels every stream and transfer, and waits (bounded) for all threads. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (Long id : List.copyOf(peers.keySet())) {
            removePeer(id);
        }
        Server s = server;
        if (s != null) {
            // shutdown() would wait for the long-lived streams, which never end by themselves
            s.shutdownNow();
        }
        try {
            for (ManagedChannel channel : retiredChannels) {
                channel.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            if (s != null) {
                s.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            for (ExecutorService executor : List.of(senderThread, snapshotExecutor, inboundExecutor)) {
                executor.shutdownNow();
                executor.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (CompletableFuture<Void> transfer : List.copyOf(transfers)) {
            transfer.completeExceptionally(new IOException("transport closed"));
        }
        if (!isTerminated()) {
            log.warn("peer transport of {} did not stop within {}", PeerHeaders.format(config.localId), CLOSE_TIMEOUT);
        }
    }

    /** True once {@link #close()} has stopped the server, every channel and every thread. */
    public boolean isTerminated() {
        Server s = server;
        return closed && (s == null || s.isTerminated()) && retiredChannels.stream().allMatch(ManagedChannel::isTerminated)
                && senderThread.isTerminated()
                && snapshotExecutor.isTerminated() && inboundExecutor.isTerminated();
    }

    /** Queued messages for {@code peerId} (0 for an unknown peer); for tests and diagnostics. */
    int queuedMessages(long peerId) {
        PeerSender sender = peers.get(peerId);
        return sender == null ? 0 : sender.queuedMessages();
    }

    private void reportUnreachable(long peerId) {
        tellHandler("unreachable", peerId, InboundHandler::onUnreachable);
    }

    /** Tells the handler a peer's status; a handler that throws is logged, not left to the calling network thread. */
    private void tellHandler(String status, long peerId, ObjLongConsumer<InboundHandler> call) {
        InboundHandler h = handler;
        if (h != null && !closed) {
            try {
                call.accept(h, peerId);
            } catch (RuntimeException e) {
                log.warn("inbound handler failed on {} {}", status, PeerHeaders.format(peerId), e);
            }
        }
    }

    private void executeOnSenderThread(Runnable task) {
        try {
            senderThread.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * A channel to another member's peer port with this transport's security and local bind
     * address, for calling extra services (such as a cluster-info RPC while joining). It carries
     * no identity headers: attach {@link PeerHeaders#forCall} for services behind the cluster
     * check. The caller shuts it down.
     */
    public ManagedChannel openChannel(String peerAddress) {
        return channelBuilder(PeerAddress.parse(peerAddress)).build();
    }

    private ManagedChannel channelTo(long peerId, PeerAddress address) {
        return channelBuilder(address)
                .executor(senderThread)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(
                        PeerHeaders.forCall(config.clusterId, config.localId, peerId)))
                .build();
    }

    private NettyChannelBuilder channelBuilder(PeerAddress address) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.host(), address.port())
                .maxInboundMessageSize(config.maxMessageBytes)
                .keepAliveTime(config.keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(config.keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveWithoutCalls(true)
                .disableRetry() // Raft retransmits; our streams reconnect with their own backoff
                .userAgent("cairn-peer");
        if (config.tls != null) {
            builder.sslContext(config.tls.clientContext()).useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        if (bindAddress != null) {
            // so per-node firewall rules (fault tests, network policies) see our own address
            builder.localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
                @Override
                public SocketAddress createSocketAddress(SocketAddress remote, io.grpc.Attributes attrs) {
                    return new InetSocketAddress(bindAddress, 0);
                }
            });
        }
        return builder;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static InetAddress resolve(String host) {
        if (host == null) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown local bind address " + host, e);
        }
    }

    private static ThreadPoolExecutor pool(int threads, ThreadFactory factory) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Configuration of a {@link GrpcTransport}; every setting but the listen address has a default. */
    public static final class Builder {
        private final long localId;
        private final long clusterId;
        private String listenAddress;
        private String bindAddress;
        private int maxQueuedMessages = 4096;
        private long maxQueuedBytes = 64L << 20;
        private long maxBatchBytes = 1 << 20;
        private int maxMessageBytes = 64 << 20;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int snapshotChunkBytes = 1 << 20;
        private Duration snapshotChunkTimeout = Duration.ofSeconds(30);
        private Duration keepAliveTime = Duration.ofSeconds(10);
        private Duration keepAliveTimeout = Duration.ofSeconds(5);
        private Duration stallTimeout = Duration.ofSeconds(5);
        private MeterRegistry meterRegistry;
        private PeerTls tls;
        private final List<BindableService> services = new ArrayList<>();
        private final List<BindableService> exemptServices = new ArrayList<>();

        private Builder(long localId, long clusterId) {
            if (localId == 0 || clusterId == 0) {
                throw new IllegalArgumentException("member and cluster ids must be non-zero");
            }
            this.localId = localId;
            this.clusterId = clusterId;
        }

        /** Where to serve peers: {@code host:port} (port 0 picks a free one, see {@link #port()}). */
        public Builder listenAddress(String hostPort) {
            this.listenAddress = hostPort;
            return this;
        }

        /** Local address that outgoing peer connections are bound to (default: chosen by the OS). */
        public Builder bindAddress(String host) {
            this.bindAddress = host;
            return this;
        }

        /** Bounds of each peer's send queue; a message that does not fit is dropped. */
        public Builder sendQueue(int maxMessages, long maxBytes) {
            if (maxMessages < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("queue bounds must be positive");
            }
            this.maxQueuedMessages = maxMessages;
            this.maxQueuedBytes = maxBytes;
            return this;
        }

        /** Target size of one frame of batched messages (default 1 MiB). */
        public Builder maxBatchBytes(long bytes) {
            this.maxBatchBytes = positive(bytes, "batch size");
            return this;
        }

        /** Largest frame accepted from a peer (default 64 MiB); must exceed the largest message. */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = (int) positive(bytes, "message size");
            return this;
        }

        /** Reconnect backoff: starts at {@code initial}, doubles up to {@code max}, with jitter. */
        public Builder backoff(Duration initial, Duration max) {
            new Backoff(initial, max, new Random()); // validates
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Snapshot chunk size (default 1 MiB) and how long each chunk may take (default 30 s). */
        public Builder snapshotChunks(int bytes, Duration timeout) {
            this.snapshotChunkBytes = (int) positive(bytes, "chunk size");
            this.snapshotChunkTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** HTTP/2 keepalive pings that detect a silently dead peer (default every 10 s, 5 s timeout). */
        public Builder keepAlive(Duration interval, Duration timeout) {
            this.keepAliveTime = Objects.requireNonNull(interval, "interval");
            this.keepAliveTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long a replication stream may take nothing while messages wait for it before it is
         * abandoned and redialled on a fresh connection (default 5 s). Keepalive pings cannot
         * see such a stall: they pass on a connection whose flow-control credit was lost.
         */
        public Builder stallTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("stall timeout must be positive");
            }
            this.stallTimeout = timeout;
            return this;
        }

        /** Serves and dials peers over TLS (default: plaintext). */
        public Builder tls(PeerTls peerTls) {
            this.tls = peerTls;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Serves {@code service} on the peer port, behind the same cluster id check. */
        public Builder addService(BindableService service) {
            services.add(Objects.requireNonNull(service, "service"));
            return this;
        }

        /**
         * Serves {@code service} on the peer port without the cluster id check, for calls from
         * members that do not know the cluster id yet (a joining member asking for the member list).
         */
        public Builder addExemptService(BindableService service) {
            exemptServices.add(Objects.requireNonNull(service, "service"));
            return this;
        }

        public GrpcTransport build() {
            Objects.requireNonNull(listenAddress, "listenAddress");
            if (snapshotChunkBytes > maxMessageBytes - 4096) {
                throw new IllegalArgumentException("snapshot chunks must be smaller than maxMessageBytes");
            }
            return new GrpcTransport(copy());
        }

        /** A frozen copy, so reusing this builder cannot change a built transport. */
        private Builder copy() {
            Builder c = new Builder(localId, clusterId);
            c.listenAddress = listenAddress;
            c.bindAddress = bindAddress;
            c.maxQueuedMessages = maxQueuedMessages;
            c.maxQueuedBytes = maxQueuedBytes;
            c.maxBatchBytes = maxBatchBytes;
            c.maxMessageBytes = maxMessageBytes;
            c.initialBackoff = initialBackoff;
            c.maxBackoff = maxBackoff;
            c.snapshotChunkBytes = snapshotChunkBytes;
            c.snapshotChunkTimeout = snapshotChunkTimeout;
            c.keepAliveTime = keepAliveTime;
            c.keepAliveTimeout = keepAliveTimeout;
            c.stallTimeout = stallTimeout;
            c.meterRegistry = meterRegistry;
            c.tls = tls;
            c.services.addAll(services);
            c.exemptServices.addAll(exemptServices);
            return c;
        }

        private static long positive(long value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return value;
        }
    }
}
