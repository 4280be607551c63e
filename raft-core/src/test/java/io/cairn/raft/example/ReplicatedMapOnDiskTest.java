package io.cairn.raft.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.storage.FileStorage;
import io.cairn.raft.storage.FileStorageOptions;
import io.cairn.raft.transport.memory.InMemoryNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example on {@link FileStorage}: three nodes write enough to snapshot and compact (small
 * segments, so whole segments are deleted), stop, and start again from their directories with
 * empty in-memory maps: the snapshot and the log on disk bring every value back.
 */
class ReplicatedMapOnDiskTest {
    @TempDir
    Path root;

    private final List<FileStorage> storages = new ArrayList<>();

    private List<ReplicatedMap> start(Map<Long, String> members, InMemoryNetwork network) throws Exception {
        List<ReplicatedMap> replicas = new ArrayList<>();
        for (long id : members.keySet()) {
            RaftConfig config = RaftConfig.builder(id).tickInterval(Duration.ofMillis(20))
                    .snapshotEveryEntries(40).entriesKeptAfterSnapshot(10).build();
            FileStorage storage = FileStorage.open(root.resolve("node-" + id),
                    FileStorageOptions.builder().segmentBytes(4096).build());
            storages.add(storage);
            replicas.add(new ReplicatedMap(config, members, storage, network.transport(id)));
        }
        return replicas;
    }

    @Test
    void valuesSurviveAFullRestartFromDisk() throws Exception {
        Map<Long, String> members = new LinkedHashMap<>();
        for (long id = 1; id <= 3; id++) {
            members.put(id, "mem-" + id);
        }
        try (InMemoryNetwork network = new InMemoryNetwork()) {
            List<ReplicatedMap> replicas = start(members, network);
            try {
                for (int i = 0; i < 150; i++) {
                    replicas.get(i % 3).put("k" + i, "v" + i).get(20, TimeUnit.SECONDS);
                }
                // Every node has snapshotted and compacted, so the restart needs the snapshot.
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> storages.stream()
                        .allMatch(s -> s.snapshot().index() >= 80 && s.firstIndex() > 40));
            } finally {
                replicas.forEach(ReplicatedMap::close);
            }
        }
        try (InMemoryNetwork network = new InMemoryNetwork()) {
            List<ReplicatedMap> replicas = start(members, network);
            try {
                replicas.get(0).put("after", "restart").get(20, TimeUnit.SECONDS);
                for (ReplicatedMap replica : replicas) {
                    for (int i = 0; i < 150; i += 7) {
                        assertThat(replica.get("k" + i).get(20, TimeUnit.SECONDS)).isEqualTo("v" + i);
                    }
                    assertThat(replica.get("after").get(20, TimeUnit.SECONDS)).isEqualTo("restart");
                }
            } finally {
                replicas.forEach(ReplicatedMap::close);
            }
        }
    }
}
