package io.cairn.jepsen;

import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.Verdict;
import io.cairn.jepsen.cluster.DockerBackend;
import io.cairn.jepsen.cluster.ServerKind;
import io.cairn.jepsen.runner.RunConfig;
import io.cairn.jepsen.runner.RunResult;
import io.cairn.jepsen.runner.TestRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/jepsen}: runs fault-injection tests and prints {@code R runs: V valid, I invalid, U unknown}
 * (with {@code --negative-controls}: one CAUGHT or MISSED line per control, see {@link NegativeControlProfile}).
 */
@Command(name = "jepsen", mixinStandardHelpOptions = true,
        description = "Fault injection against real Cairn (or etcd) processes, with a linearizability checker.")
public final class JepsenMain implements Callable<Integer> {

    @Option(names = "--server", description = "cairn, etcd, or docker (Cairn in containers built from the Dockerfile, "
            + "through Testcontainers; kill and pause faults only) (default: ${DEFAULT-VALUE})")
    String server = "cairn";

    @Option(names = "--launcher", description = "the cairn launcher (default: ${DEFAULT-VALUE})")
    String launcher = "bin/cairn";

    @Option(names = "--server-flag", description = "extra server flag (repeatable), e.g. a negative control")
    List<String> serverFlags = new ArrayList<>();

    @Option(names = "--workload", description = "cas-register, list-append or queue (default: ${DEFAULT-VALUE})")
    String workload = "cas-register";

    @Option(names = "--nemesis", description = "none, kill-{one,leader,majority,all}, pause-{one,leader}, "
            + "partition-{leader,majority,one-way,clients}, proxy-{delay,drop}, "
            + "corrupt-tail, bitflip, snapshot-stress, member-churn, clock-{jump,strobe}, fsync-error; comma-joined for several (default: ${DEFAULT-VALUE})")
    String nemesis = "partition-leader";

    @Option(names = "--nodes", description = "members (default: ${DEFAULT-VALUE})")
    int nodes = 3;

    @Option(names = "--time-limit", description = "seconds of chaos per run (default: ${DEFAULT-VALUE})")
    int timeLimit = 30;

    @Option(names = "--runs", description = "runs with consecutive seeds (default: ${DEFAULT-VALUE})")
    int runs = 1;

    @Option(names = "--seed", description = "seed of the first run (default: the time)")
    Long seed;

    @Option(names = "--rate", description = "operations per second (default: ${DEFAULT-VALUE})")
    int rate = 100;

    @Option(names = "--out", description = "where histories, logs and reports go (default: ${DEFAULT-VALUE})")
    Path out = Path.of("jepsen/target/runs");

    @Option(names = "--quick", description = "the CI profile: every workload and every fault at least once, short runs")
    boolean quick;

    @Option(names = "--negative-controls", description = "run each deliberately broken server (--unsafe-negative-control) "
            + "with the test that must catch it; exit 0 only if every one is reported INVALID")
    boolean negativeControls;

    @Override
    public Integer call() throws Exception {
        long first = seed != null ? seed : System.currentTimeMillis();
        if (negativeControls) {
            if (!server.equals("cairn")) {
                System.err.println("--negative-controls needs --server cairn: the controls are cairn's test-only flags");
                return 2;
            }
            NegativeControlProfile profile = new NegativeControlProfile((c, runSeed) -> {
                List<String> flags = new ArrayList<>(serverFlags);
                flags.add(NegativeControlProfile.serverFlag(c.control()));
                String name = "negative-" + c.control() + "-" + c.pair() + "-" + runSeed;
                return new TestRun(config(name, ServerKind.cairn(launcher, flags), c.workload(), c.nemesis(), c.seconds(),
                        runSeed)).run();
            }, System.out);
            return profile.runAll(Catalog.negativeControls(), first) ? 0 : 1;
        }
        List<String[]> plan = new ArrayList<>();
        if (quick) {
            plan.addAll(Catalog.quickPairs());
            timeLimit = Math.min(timeLimit, 20);
        } else {
            for (int i = 0; i < runs; i++) {
                plan.add(new String[] {workload, nemesis});
            }
        }
        ServerKind kind = switch (server) {
            case "etcd" -> ServerKind.etcd();
            case "docker" -> {
                if (!DockerBackend.available()) {
                    System.err.println("--server docker needs a Docker engine, and none answers here");
                    yield null;
                }
                List<String> unsupported = plan.stream().flatMap(p -> Arrays.stream(p[1].split(",")))
                        .filter(n -> !DockerBackend.supports(n)).distinct().toList();
                if (!unsupported.isEmpty()) {
                    System.err.println("--server docker runs kill and pause faults only, not " + unsupported);
                    yield null;
                }
                yield ServerKind.docker(DockerBackend.buildImage(Path.of("").toAbsolutePath()));
            }
            default -> ServerKind.cairn(launcher, serverFlags);
        };
        if (kind == null) {
            return 2;
        }
        int valid = 0;
        int invalid = 0;
        int unknown = 0;
        for (int i = 0; i < plan.size(); i++) {
            String[] pair = plan.get(i);
            long runSeed = first + i;
            String name = pair[0] + "+" + pair[1] + "-" + runSeed;
            RunResult result = new TestRun(config(name, kind, pair[0], pair[1], timeLimit, runSeed)).run();
            System.out.println(summary(result));
            switch (result.verdict()) {
                case VALID -> valid++;
                case INVALID -> invalid++;
                case UNKNOWN -> unknown++;
            }
        }
        System.out.println(plan.size() + " runs: " + valid + " valid, " + invalid + " invalid, " + unknown + " unknown");
        return invalid == 0 && unknown == 0 ? 0 : 1;
    }

    private RunConfig config(String name, ServerKind kind, String workloadName, String nemesisName, int seconds, long runSeed) {
        return new RunConfig(name, kind, nodes, Catalog.workload(workloadName, "/jepsen-" + runSeed, nodes),
                Catalog.nemesis(nemesisName), Duration.ofSeconds(3), Duration.ofSeconds(seconds), 2 * nodes, rate,
                runSeed, out.resolve(name), memberEnvironment());
    }

    /**
     * bin/jepsen builds the server before it starts; the members use that build as an installed
     * layout, so a launcher never rebuilds (three at once) while a run is under way.
     */
    public static Map<String, String> memberEnvironment() {
        Path installed = Path.of("server/target").toAbsolutePath();
        return java.nio.file.Files.isDirectory(installed.resolve("lib")) ? Map.of("CAIRN_HOME", installed.toString()) : Map.of();
    }

    private static String summary(RunResult r) {
        StringBuilder s = new StringBuilder();
        s.append(r.verdict()).append(' ').append(r.name()).append(": ").append(r.stats().ok()).append(" ok, ")
                .append(r.stats().info()).append(" info, ").append(r.stats().faults()).append(" faults, recovery ")
                .append(r.stats().recoveryMillis()).append(" ms; report ").append(r.dir().resolve("report.html"));
        for (CheckResult c : r.results()) {
            if (c.verdict() != Verdict.VALID) {
                s.append("\n  ").append(c);
            }
        }
        return s.toString();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new JepsenMain()).execute(args));
    }
}
