package io.cairn.raft.example;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.storage.MemoryStorage;
import io.cairn.raft.transport.grpc.GrpcTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README's demo: three {@link ReplicatedMap} replicas in one JVM talking gRPC on loopback.
 * Writes a few keys through one replica, reads each key back from every replica, prints them.
 * Usage: {@code ReplicatedMapDemo [firstPort]} (default 23900; uses three consecutive ports).
 */
public final class ReplicatedMapDemo {
    private static final long CLUSTER_ID = 0xDE30;

    private ReplicatedMapDemo() {
    }

    public static void main(String[] args) throws Exception {
        int firstPort = args.length > 0 ? Integer.parseInt(args[0]) : 23900;
        Map<Long, String> members = new LinkedHashMap<>();
        for (long id = 1; id <= 3; id++) {
            members.put(id, "127.0.0.1:" + (firstPort + id - 1));
        }
        List<ReplicatedMap> replicas = new ArrayList<>();
        try {
            for (long id : members.keySet()) {
                GrpcTransport transport = GrpcTransport.builder(id, CLUSTER_ID).listenAddress(members.get(id)).build();
                replicas.add(new ReplicatedMap(RaftConfig.builder(id).build(), members, new MemoryStorage(), transport));
            }
            ReplicatedMap writer = replicas.get(0);
            for (String[] kv : new String[][] {{"alpha", "1"}, {"beta", "2"}, {"gamma", "3"}}) {
                writer.put(kv[0], kv[1]).get(30, TimeUnit.SECONDS);
                System.out.println("put " + kv[0] + "=" + kv[1]);
            }
            for (ReplicatedMap replica : replicas) {
                long id = replica.node().id();
                for (String key : List.of("alpha", "beta", "gamma")) {
                    String value = replica.get(key).get(30, TimeUnit.SECONDS);
                    System.out.println("node " + id + " get " + key + " -> " + value);
                }
            }
            System.out.println("leader: node " + writer.node().leaderId());
        } finally {
            replicas.forEach(ReplicatedMap::close);
        }
    }
}
