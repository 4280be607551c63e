package io.cairn.jepsen.runner;

import io.cairn.jepsen.cluster.ServerKind;
import io.cairn.jepsen.nemesis.Nemesis;
import io.cairn.jepsen.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One test: which servers, which traffic, which faults, for how long.
 *
 * @param nemesis empty for a fault-free run
 * @param rate total operations per second across all workers
 * @param environment extra environment for the member processes
 */
public record RunConfig(
        String name,
        ServerKind server,
        int nodes,
        Workload workload,
        Optional<Nemesis> nemesis,
        Duration warmup,
        Duration chaos,
        int workers,
        int rate,
        long seed,
        Path dir,
        Map<String, String> environment) {
}
