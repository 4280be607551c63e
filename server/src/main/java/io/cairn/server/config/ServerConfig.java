package io.cairn.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of one cairn member, with etcd's names and defaults. Built by
 * {@link ServerConfigLoader}; every URL list is already validated and sorted.
 *
 * @param walDir separate directory for the Raft log, empty to keep it under the data dir
 * @param initialElectionTickAdvance whether a booting member starts its election timer nearly
 *     expired (etcd's default, true), so a cluster restarted as a whole elects sooner
 * @param explicitlyListenedClient whether {@code --listen-client-urls} was given (etcd then
 *     requires {@code --advertise-client-urls})
 */
public record ServerConfig(
        String name,
        Path dataDir,
        Optional<Path> walDir,
        List<String> listenPeerUrls,
        List<String> listenClientUrls,
        List<String> advertiseClientUrls,
        List<String> initialAdvertisePeerUrls,
        InitialCluster initialCluster,
        ClusterState initialClusterState,
        String initialClusterToken,
        int heartbeatIntervalMs,
        int electionTimeoutMs,
        long snapshotCount,
        long snapshotCatchupEntries,
        int maxRequestBytes,
        boolean enableV2,
        boolean strictReconfigCheck,
        boolean initialElectionTickAdvance,
        String cors,
        String hostWhitelist,
        String logLevel,
        boolean explicitlyListenedClient) {

    public static final int DEFAULT_HEARTBEAT_MS = 100;
    public static final int DEFAULT_ELECTION_MS = 1000;
    public static final long DEFAULT_SNAPSHOT_COUNT = 100_000;
    public static final long DEFAULT_SNAPSHOT_CATCHUP_ENTRIES = 5_000;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1_572_864;

    public ServerConfig {
        Objects.requireNonNull(name);
        Objects.requireNonNull(dataDir);
        Objects.requireNonNull(walDir);
        listenPeerUrls = List.copyOf(listenPeerUrls);
        listenClientUrls = List.copyOf(listenClientUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
        Objects.requireNonNull(initialCluster);
        Objects.requireNonNull(initialClusterState);
        Objects.requireNonNull(initialClusterToken);
    }
}
