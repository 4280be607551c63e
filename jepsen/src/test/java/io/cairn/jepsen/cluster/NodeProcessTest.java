package io.cairn.jepsen.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeProcessTest {
    @TempDir
    Path dir;

    @Test
    void aMemberThatJoinedKeepsJoiningOnEveryRestartAndWipingEmptiesItsDataDir() throws Exception {
        NodeSpec spec = new NodeSpec("n1", "127.0.0.11", 2379, 2380, dir.resolve("n1/data"), dir.resolve("n1.log"));
        NodeProcess node = new NodeProcess(spec, List.of("echo", "--initial-cluster-state", "new"), Map.of());
        node.start();
        assertThat(node.awaitExit(Duration.ofSeconds(10))).hasValue(0);
        node.startJoining();
        assertThat(node.awaitExit(Duration.ofSeconds(10))).hasValue(0);
        node.start(); // killed before it initialised its data dir: it must not found a cluster of its own
        assertThat(node.awaitExit(Duration.ofSeconds(10))).hasValue(0);
        assertThat(Files.readAllLines(spec.logFile())).containsExactly("--initial-cluster-state new",
                "--initial-cluster-state existing", "--initial-cluster-state existing");

        Files.createDirectories(spec.dataDir().resolve("member/wal"));
        Files.writeString(spec.dataDir().resolve("member/wal/x.log"), "x");
        node.wipeData();
        assertThat(spec.dataDir()).doesNotExist();
    }
}
