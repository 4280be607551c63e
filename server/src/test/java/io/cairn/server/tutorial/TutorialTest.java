package io.cairn.server.tutorial;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.server.CairnMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial as a test, with three real processes. It first runs against real etcd 3.4 (when
 * {@code /usr/bin/etcd} is installed), which proves the scenario and cairnctl's part in it; the
 * cairn run is enabled once the server serves the v2 HTTP API ({@link CairnMain#HTTP_API_WIRED}).
 */
class TutorialTest {
    private static final Path ETCD = Path.of("/usr/bin/etcd");

    @TempDir
    Path tmp;

    @Test
    void tutorialAgainstRealEtcd() throws Exception {
        assumeTrue(Files.isExecutable(ETCD), "real etcd not installed (apt-get install -y etcd-server); skipping the reference run");
        try (LocalCluster cluster = new LocalCluster(List.of(ETCD.toString()), tmp)) {
            new TutorialScenario(cluster).run();
        }
    }

    @Test
    void tutorialAgainstCairn() throws Exception {
        assumeTrue(CairnMain.HTTP_API_WIRED, "the v2 HTTP API is not wired into the cairn server yet (v2-http-api has no server to start)");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), CairnMain.class.getName()));
        try (LocalCluster cluster = new LocalCluster(command, tmp)) {
            new TutorialScenario(cluster).run();
        }
    }
}
