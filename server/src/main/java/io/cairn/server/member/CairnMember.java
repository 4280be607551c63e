package io.cairn.server.member;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStateMachine;
import io.cairn.kv.KvStoreOptions;
import io.cairn.kv.Member;
import io.cairn.kv.proto.MemberContext;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.node.RaftNode;
import io.cairn.raft.storage.FileStorage;
import io.cairn.raft.transport.grpc.GrpcTransport;
import io.cairn.server.config.EtcdUrls;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.datadir.DataDir;
import io.cairn.server.datadir.PersistedIdentity;
import io.cairn.server.identity.MemberIds;
import io.cairn.server.join.ClusterInfoService;
import io.cairn.server.unsafe.NegativeControls;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running member: the Raft log in the data dir, the gRPC peer transport on the listen peer
 * URL, the kv-store state machine, and the node that drives them, plus the member's own duties
 * (publishing its name and client URLs, the leader's expiry sweeps). Closing it hands leadership
 * over first when it leads.
 */
public final class CairnMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CairnMember.class);

    private final ServerConfig config;
    private final PersistedIdentity identity;
    private final DataDir dataDir;
    private final KvStateMachine store;
    private final RaftNode<ApplyResult> node;
    private final MemberDuties duties;
    private final NegativeControls negativeControls;

    private CairnMember(ServerConfig config, PersistedIdentity identity, DataDir dataDir, KvStateMachine store,
            RaftNode<ApplyResult> node, MemberDuties duties, NegativeControls negativeControls) {
        this.negativeControls = negativeControls;
        this.config = config;
        this.identity = identity;
        this.dataDir = dataDir;
        this.store = store;
        this.node = node;
        this.duties = duties;
    }

    /** Opens storage and the store, starts the node (founding the cluster if storage is empty) and the duties. */
    public static CairnMember start(ServerConfig config, PersistedIdentity identity, DataDir dataDir, MeterRegistry registry)
            throws IOException {
        return start(config, identity, dataDir, registry, NegativeControls.none());
    }

    /** {@link #start(ServerConfig, PersistedIdentity, DataDir, MeterRegistry)}, deliberately broken by test-only controls. */
    public static CairnMember start(ServerConfig config, PersistedIdentity identity, DataDir dataDir, MeterRegistry registry,
            NegativeControls negativeControls) throws IOException {
        KvStateMachine store = KvStateMachine.open(KvStoreOptions.defaults(dataDir.snapDir().resolve("kv")));
        try {
            if (store.lastAppliedIndex() == 0) {
                // Raft founds the cluster without log entries; the store learns the founders here
                // (names and client URLs follow through each member's publication). A joined
                // member seeds the same founders, then replays the log from its start (or gets a
                // snapshot that replaces them).
                store.seedMembers(identity.initialMembers().stream()
                        .map(m -> new Member(m.id(), "", m.peerUrls(), List.of())).toList());
            }
            FileStorage storage = FileStorage.open(dataDir.walDir(), negativeControls.storageOptions());
            String peerListen = config.listenPeerUrls().get(0);
            AtomicReference<RaftNode<ApplyResult>> started = new AtomicReference<>();
            ClusterInfoService clusterInfo = new ClusterInfoService(store, identity, () -> {
                RaftNode<ApplyResult> n = started.get();
                return n == null ? CompletableFuture.failedFuture(new IllegalStateException("starting")) : n.readIndex();
            });
            GrpcTransport.Builder transportBuilder = GrpcTransport.builder(identity.memberId(), identity.clusterId())
                    .listenAddress(bindHost(peerListen) + ":" + EtcdUrls.port(peerListen))
                    .meterRegistry(registry)
                    // joining members ask for the member list before they know the cluster id
                    .addExemptService(clusterInfo);
            outgoingBindHost(peerListen).ifPresent(transportBuilder::bindAddress);
            GrpcTransport transport = transportBuilder.build();
            RaftNode.Builder<ApplyResult> builder = RaftNode.<ApplyResult>builder()
                    .config(raftConfig(config, identity.memberId()))
                    .storage(storage)
                    .transport(transport)
                    .stateMachine(negativeControls.stateMachine(store))
                    .meterRegistry(registry)
                    // Membership changes carry kv-store's MemberContext; the transport dials its first peer URL.
                    .addressOfContext(CairnMember::peerAddressOf)
                    .peers(StartupPeers.of(identity, store));
            if (identity.joined()) {
                // Added by member add: the leader sends the log (or a snapshot) from the start.
                builder.join();
            } else {
                // Only used when the storage is empty, so a crash right after the identity was
                // written still founds the same cluster on the next start.
                builder.bootstrap(ClusterConfig.ofVoters(founderIds(identity)));
            }
            RaftNode<ApplyResult> node = builder.start();
            started.set(node);
            MemberDuties duties = new MemberDuties(node, store, new KvCommands(java.time.Clock.systemUTC()), identity.memberId(),
                    identity.clusterId(),
                    config.name(), config.advertiseClientUrls(), dataDir);
            duties.start();
            LOG.info("member {} (name {}) started; peers on {}", MemberIds.toHex(identity.memberId()), config.name(), peerListen);
            return new CairnMember(config, identity, dataDir, store, node, duties, negativeControls);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    static String peerAddressOf(byte[] context) {
        try {
            return MemberContext.parseFrom(context).getPeerUrls(0);
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a membership change without a peer URL", e);
        }
    }

    /** etcd's ticks: one heartbeat per tick; the election timeout in heartbeats. */
    static RaftConfig raftConfig(ServerConfig config, long memberId) {
        int electionTicks = Math.max(2, config.electionTimeoutMs() / config.heartbeatIntervalMs());
        return RaftConfig.builder(memberId)
                .tickInterval(Duration.ofMillis(config.heartbeatIntervalMs()))
                .heartbeatTicks(1)
                .electionTicks(electionTicks)
                .initialElectionTickAdvance(config.initialElectionTickAdvance())
                .snapshotEveryEntries(config.snapshotCount())
                .entriesKeptAfterSnapshot(config.snapshotCatchupEntries())
                .build();
    }

    private static Set<Long> founderIds(PersistedIdentity identity) {
        Set<Long> ids = new LinkedHashSet<>();
        identity.initialMembers().forEach(m -> ids.add(m.id()));
        return ids;
    }

    /**
     * Outgoing peer connections leave from the member's own peer IP when it listens on a specific
     * one, so per-member network rules (jepsen partitions on 127.0.0.x) see the right source.
     */
    static java.util.Optional<String> outgoingBindHost(String peerListenUrl) {
        String host = EtcdUrls.host(peerListenUrl);
        boolean wildcard = host.equals("localhost") || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
        return wildcard ? java.util.Optional.empty() : java.util.Optional.of(host);
    }

    /** {@code localhost} binds the loopback address; IP literals bind themselves. */
    private static String bindHost(String url) {
        String host = EtcdUrls.host(url);
        if (host.equals("localhost")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public long memberId() {
        return identity.memberId();
    }

    public long clusterId() {
        return identity.clusterId();
    }

    public RaftNode<ApplyResult> node() {
        return node;
    }

    public KvStateMachine store() {
        return store;
    }

    public ServerConfig config() {
        return config;
    }

    /** The test-only deliberate bugs this member runs with (normally none). */
    public NegativeControls negativeControls() {
        return negativeControls;
    }

    /** True once this member has seen its own removal (it then must exit non-zero). */
    public boolean wasRemoved() {
        return duties.wasRemoved();
    }

    /** SIGTERM path: hand leadership to the most caught-up peer when leading, then stop everything. */
    @Override
    public void close() throws IOException {
        duties.close();
        try {
            node.transferLeadershipAndClose(Duration.ofSeconds(5));
        } finally {
            store.close();
            dataDir.close();
        }
    }
}
