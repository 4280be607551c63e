package io.cairn.raft.node;

import static org.awaitility.Awaitility.await;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.storage.FileStorage;
import io.cairn.raft.storage.Storage;
import io.cairn.raft.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import io.cairn.raft.transport.grpc.GrpcTransport;
import io.cairn.raft.transport.memory.InMemoryNetwork;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A group of {@link RaftNode}s in one JVM, on either transport, with durable in-memory storage
 * that survives a node's crash so it can restart "from disk".
 */
final class TestCluster implements AutoCloseable {
    /** Which transport connects the nodes. */
    enum Kind { MEMORY, GRPC }

    /** Where nodes keep their durable state: surviving-memory or real files (a directory per node). */
    enum Disk { MEMORY, FILE }

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long CLUSTER_ID = 0xCA1A;
    /** Loopback ports 23000-23999 belong to this module's runtime tests. */
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(23000 + ThreadLocalRandom.current().nextInt(80) * 10);

    private final Kind kind;
    private final InMemoryNetwork network = new InMemoryNetwork();
    private final UnaryOperator<RaftConfig.Builder> tuning;
    private final Map<Long, String> addresses = new LinkedHashMap<>();
    private final Map<Long, Storage> storages = new LinkedHashMap<>();
    private Disk disk = Disk.MEMORY;
    private io.micrometer.core.instrument.MeterRegistry meterRegistry;
    private java.util.function.Consumer<RaftNode.Builder<String>> nodeOptions = b -> { };
    private Path dataDir;
    private java.util.function.LongFunction<io.cairn.raft.storage.FileStorageOptions> fileOptions =
            id -> io.cairn.raft.storage.FileStorageOptions.defaults();
    private final Map<Long, RecordingMachine> machines = new LinkedHashMap<>();
    private final Map<Long, RaftNode<String>> nodes = new LinkedHashMap<>();
    private final Set<Long> founders = new HashSet<>();

    TestCluster(Kind kind, UnaryOperator<RaftConfig.Builder> tuning) {
        this.kind = kind;
        this.tuning = tuning;
    }

    TestCluster(Kind kind) {
        this(kind, b -> b);
    }

    /** Extra builder settings applied to every node started from now on. */
    TestCluster nodeOptions(java.util.function.Consumer<RaftNode.Builder<String>> options) {
        this.nodeOptions = options;
        return this;
    }

    /** Registers every node's meters with {@code registry}. */
    TestCluster meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
        this.meterRegistry = registry;
        return this;
    }

    /** Keeps every node's state in files under {@code dir} (call before starting nodes). */
    TestCluster onFiles(Path dir) {
        this.disk = Disk.FILE;
        this.dataDir = dir;
        return this;
    }

    /** Keeps every node's state in files under {@code dir}, each opened with {@code options} for its id. */
    TestCluster onFiles(Path dir, java.util.function.LongFunction<io.cairn.raft.storage.FileStorageOptions> options) {
        this.fileOptions = options;
        return onFiles(dir);
    }

    private Storage openStorage(long id) {
        if (disk == Disk.MEMORY) {
            Storage previous = storages.get(id);
            return previous == null ? DurableMemoryStorage.create() : ((DurableMemoryStorage) previous).reopen();
        }
        try {
            return FileStorage.open(dataDir.resolve("node-" + id), fileOptions.apply(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Founds a group of these voters and starts them all. */
    TestCluster start(long... ids) {
        for (long id : ids) {
            founders.add(id);
            address(id);
        }
        for (long id : ids) {
            storages.put(id, openStorage(id));
            launch(id, true);
        }
        return this;
    }

    /** Starts a new, empty node that waits to be added by the leader. */
    RaftNode<String> startJoiner(long id) {
        address(id);
        storages.put(id, openStorage(id));
        return launch(id, false);
    }

    String address(long id) {
        return addresses.computeIfAbsent(id, i -> kind == Kind.GRPC ? "127.0.0.1:" + freePort()
                : "mem-" + Long.toHexString(i));
    }

    /** The next port of the range nobody listens on (another build may run these tests beside us). */
    private static int freePort() {
        while (true) {
            int port = NEXT_PORT.getAndIncrement();
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException inUse) {
                // taken: try the next one
            }
        }
    }

    private RaftNode<String> launch(long id, boolean bootstrap) {
        RecordingMachine machine = new RecordingMachine();
        machines.put(id, machine);
        RaftConfig config = tuning.apply(RaftConfig.builder(id)
                .tickInterval(Duration.ofMillis(20))
                .electionTicks(10)
                .requestTimeout(Duration.ofSeconds(10))).build();
        RaftNode.Builder<String> builder = RaftNode.<String>builder()
                .config(config)
                .storage(storages.get(id))
                .transport(transport(id))
                .stateMachine(machine)
                .meterRegistry(meterRegistry)
                .peers(addresses);
        if (bootstrap) {
            builder.bootstrap(ClusterConfig.ofVoters(founders));
        }
        nodeOptions.accept(builder);
        RaftNode<String> node = builder.start();
        nodes.put(id, node);
        return node;
    }

    private Transport transport(long id) {
        if (kind == Kind.MEMORY) {
            return network.transport(id);
        }
        return GrpcTransport.builder(id, CLUSTER_ID)
                .listenAddress(addresses.get(id))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
    }

    /** Stops a node as a crash would: its durable state stays, its memory is gone. */
    void crash(long id) {
        RaftNode<String> node = nodes.remove(id);
        if (node != null) {
            node.close();
        }
    }

    /** Starts a crashed node again on its durable state, with a fresh (empty) state machine. */
    RaftNode<String> restart(long id) {
        storages.put(id, openStorage(id));
        return launch(id, founders.contains(id));
    }

    RaftNode<String> node(long id) {
        return nodes.get(id);
    }

    RecordingMachine machine(long id) {
        return machines.get(id);
    }

    Storage storage(long id) {
        return storages.get(id);
    }

    InMemoryNetwork network() {
        return network;
    }

    List<Long> running() {
        return new ArrayList<>(nodes.keySet());
    }

    /** Waits for a leader that every running node agrees on, and returns it. */
    RaftNode<String> awaitLeader() {
        return awaitLeader(running());
    }

    RaftNode<String> awaitLeader(List<Long> among) {
        long[] leader = new long[1];
        await().atMost(TIMEOUT).until(() -> {
            long seen = 0;
            for (long id : among) {
                long l = nodes.get(id).leaderId();
                if (l == 0 || (seen != 0 && l != seen)) {
                    return false;
                }
                seen = l;
            }
            leader[0] = seen;
            return nodes.containsKey(seen) && nodes.get(seen).isLeader();
        });
        return nodes.get(leader[0]);
    }

    /** Waits until every running node's state machine holds exactly {@code expected}. */
    void awaitReplicated(List<String> expected) {
        awaitReplicated(running(), expected);
    }

    void awaitReplicated(List<Long> ids, List<String> expected) {
        for (long id : ids) {
            await().atMost(TIMEOUT).untilAsserted(() -> org.assertj.core.api.Assertions
                    .assertThat(machines.get(id).commands()).as(() -> "node " + id + " applied; " + describe())
                    .isEqualTo(expected));
        }
    }

    /** Waits until every running node's log starts after {@code index} (it compacted past it). */
    void awaitCompactedPast(long index) {
        awaitCompactedPast(running(), index);
    }

    void awaitCompactedPast(List<Long> ids, long index) {
        for (long id : ids) {
            await().atMost(TIMEOUT).untilAsserted(() -> org.assertj.core.api.Assertions
                    .assertThat(storages.get(id).firstIndex()).as(() -> "node " + id + " first index; " + describe())
                    .isGreaterThan(index));
        }
    }

    /** Every node's view, for failure messages. */
    String describe() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Long, RaftNode<String>> e : nodes.entrySet()) {
            RecordingMachine m = machines.get(e.getKey());
            Storage st = storages.get(e.getKey());
            s.append("\n  ").append(e.getValue().status()).append(" applied=").append(m.lastAppliedIndex())
                    .append(" commands=").append(m.commands().size()).append(" restores=").append(m.restores())
                    .append(" log=[").append(st.firstIndex()).append("..").append(st.lastIndex()).append("] snap=")
                    .append(st.snapshot().index()).append(" stored=")
                    .append(st.snapshots().latest().map(x -> x.metadata().index()).orElse(-1L))
                    .append(" progress=").append(e.getValue().progress());
        }
        return s.toString();
    }

    /** Proposes {@code command} through {@code node} and waits for its result. */
    static String put(RaftNode<String> node, String command) {
        return node.propose(command.getBytes(StandardCharsets.UTF_8)).orTimeout(TIMEOUT.toSeconds(),
                java.util.concurrent.TimeUnit.SECONDS).join();
    }

    /** Proposes many commands concurrently and waits for all of them. */
    static List<String> putAll(RaftNode<String> node, List<String> commands) {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (String c : commands) {
            futures.add(node.propose(c.getBytes(StandardCharsets.UTF_8)));
        }
        List<String> results = new ArrayList<>();
        for (CompletableFuture<String> f : futures) {
            results.add(f.orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join());
        }
        return results;
    }

    @Override
    public void close() {
        for (RaftNode<String> node : nodes.values()) {
            node.close();
        }
        nodes.clear();
        network.close();
    }
}
