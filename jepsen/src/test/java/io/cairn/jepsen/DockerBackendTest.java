package io.cairn.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.jepsen.checker.Verdict;
import io.cairn.jepsen.cluster.DockerBackend;
import io.cairn.jepsen.cluster.ServerKind;
import io.cairn.jepsen.runner.RunConfig;
import io.cairn.jepsen.runner.RunResult;
import io.cairn.jepsen.runner.TestRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The suite's Testcontainers backend: Cairn built from the Dockerfile, three containers, the same
 * workloads, faults and checkers as the process backend. Skipped where no Docker engine answers
 * (CI here has none; bin/jepsen runs the full suite as processes). {@code CAIRN_JEPSEN_IMAGE} names
 * an image already built (by k8s/scripts/build-image.sh, say) instead of building one.
 */
class DockerBackendTest {
    private static String image;

    @BeforeAll
    static void buildImageWhereDockerRuns() {
        if (DockerBackend.available()) {
            String prebuilt = System.getenv("CAIRN_JEPSEN_IMAGE");
            image = prebuilt != null ? prebuilt : DockerBackend.buildImage(Path.of("").toAbsolutePath().getParent());
        }
    }

    @BeforeEach
    void dockerEngine() {
        assumeTrue(image != null, "no Docker engine answers here: the jepsen suite's Testcontainers backend is skipped "
                + "(bin/jepsen --quick runs the same suite as local processes)");
    }

    @Test
    void aRegisterStaysLinearizableWhileContainersAreKilledAndFrozen() throws Exception {
        assertThat(run("cas-register", "kill-leader,pause-leader").verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void acknowledgedAppendsSurviveKillingEveryContainer() throws Exception {
        assertThat(run("list-append", "kill-all").verdict()).isEqualTo(Verdict.VALID);
    }

    private static RunResult run(String workload, String nemesis) throws Exception {
        long seed = System.currentTimeMillis();
        String name = "docker-" + workload + "+" + nemesis + "-" + seed;
        return new TestRun(new RunConfig(name, ServerKind.docker(image), 3, Catalog.workload(workload, "/jepsen-" + seed, 3),
                Catalog.nemesis(nemesis), Duration.ofSeconds(3), Duration.ofSeconds(20), 6, 100, seed,
                Path.of("target/runs").resolve(name), Map.of())).run();
    }
}
