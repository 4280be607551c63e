package io.cairn.raft.bench;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.node.RaftNode;
import io.cairn.raft.node.StateMachine;
import io.cairn.raft.storage.FileStorage;
import io.cairn.raft.transport.grpc.GrpcTransport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end proposal throughput of a 3-node group in one JVM: gRPC on loopback, FileStorage in
 * a temporary directory, a counting state machine. A benchmark, not a test: it prints figures.
 * Usage: {@code RaftNodeThroughput [seconds=10] [inFlight=256] [payloadBytes=256] [firstPort=23800]}.
 */
public final class RaftNodeThroughput {
    private RaftNodeThroughput() {
    }

    /** Counts applied entries; snapshots are empty (only the count matters here). */
    private static final class Counter implements StateMachine<Long> {
        private volatile long applied;

        @Override
        public long lastAppliedIndex() {
            return applied;
        }

        @Override
        public List<Long> apply(List<Entry> entries) {
            applied = entries.get(entries.size() - 1).index();
            return Collections.nCopies(entries.size(), applied);
        }

        @Override
        public SnapshotSource takeSnapshot() {
            return out -> { };
        }

        @Override
        public void restore(SnapshotMetadata metadata, InputStream data) {
            applied = metadata.index();
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int firstPort = args.length > 3 ? Integer.parseInt(args[3]) : 23800;
        Path dir = Files.createTempDirectory("cairn-throughput");
        Map<Long, String> members = new LinkedHashMap<>();
        for (long id = 1; id <= 3; id++) {
            members.put(id, "127.0.0.1:" + (firstPort + id - 1));
        }
        List<RaftNode<Long>> nodes = new ArrayList<>();
        try {
            for (long id : members.keySet()) {
                nodes.add(RaftNode.<Long>builder()
                        .config(RaftConfig.builder(id).build())
                        .storage(FileStorage.open(dir.resolve("n" + id)))
                        .transport(GrpcTransport.builder(id, 0xBE7C).listenAddress(members.get(id)).build())
                        .stateMachine(new Counter())
                        .peers(members)
                        .bootstrap(ClusterConfig.ofVoters(members.keySet()))
                        .start());
            }
            RaftNode<Long> client = nodes.get(0);
            client.propose(new byte[payload]).get(60, TimeUnit.SECONDS); // waits for the election
            RaftNode<Long> leader = nodes.stream().filter(RaftNode::isLeader).findFirst().orElse(client);

            Semaphore window = new Semaphore(inFlight);
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                window.acquire();
                CompletableFuture<Long> f = leader.propose(new byte[payload]);
                f.whenComplete((r, e) -> {
                    (e == null ? done : failed).incrementAndGet();
                    window.release();
                });
            }
            window.acquire(inFlight);
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("3 nodes, gRPC loopback, FileStorage: %d proposals of %d B in %.1f s = %.0f/s "
                    + "(window %d, %d failed)%n", done.get(), payload, elapsed, done.get() / elapsed, inFlight,
                    failed.get());
        } finally {
            nodes.forEach(RaftNode::close);
        }
    }
}
