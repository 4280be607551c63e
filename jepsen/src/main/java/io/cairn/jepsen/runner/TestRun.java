package io.cairn.jepsen.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.Verdict;
import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.NodeSpec;
import io.cairn.jepsen.cluster.ServerKind;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.nemesis.Fault;
import io.cairn.jepsen.report.HtmlReport;
import io.cairn.jepsen.workload.Invocation;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One test, start to verdict: fresh cluster, warm-up, a chaos phase in which the nemesis
 * alternates between injecting a fault and healing it every 3 to 7 seconds (for its length, and
 * at least until the nemesis's minimum number of faults have been injected), heal everything,
 * wait for recovery, final reads, a comparison of every member's whole tree, then the checkers
 * and the report.
 */
public final class TestRun {
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    private static final Duration REPLICAS_AGREE_LIMIT = Duration.ofSeconds(30);
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final RunConfig config;

    public TestRun(RunConfig config) {
        this.config = config;
    }

    public RunResult run() throws Exception {
        Files.createDirectories(config.dir());
        Random random = new Random(config.seed());
        ServerKind server = config.nemesis().map(n -> config.server().withExtraFlags(n.memberFlags()))
                .orElse(config.server());
        Cluster cluster = Cluster.create(server, config.nodes(), config.dir(), "jepsen-" + config.seed(),
                config.environment(), config.nemesis().<MemberLaunch.Adapter>map(n -> n::adaptLaunch)
                        .orElse(MemberLaunch.Adapter.NONE));
        List<NodeSpec> specs = cluster.nodes().stream().map(NodeProcess::spec).toList();
        long faults = 0;
        long recoveryMillis = -1;
        boolean recovered;
        try (Recorder recorder = new Recorder(config.dir().resolve("history.jsonl"))) {
            if (config.nemesis().isPresent()) {
                config.nemesis().get().beforeStart(cluster);
            }
            cluster.startAll();
            if (!cluster.awaitWritable(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the cluster did not come up; see the node logs in " + config.dir());
            }
            if (config.nemesis().isPresent()) {
                config.nemesis().get().setUp(cluster);
            }
            Workers workers = new Workers(config.workload(), specs, recorder, config.workers(), config.rate(), config.seed());
            workers.start();
            pause(config.warmup());
            faults = chaos(cluster, recorder, random);
            long healedAt = System.nanoTime();
            healEverything(cluster, recorder);
            recovered = cluster.awaitWritable(RECOVERY_LIMIT);
            recoveryMillis = (System.nanoTime() - healedAt) / 1_000_000;
            pause(Duration.ofSeconds(2));
            workers.stop();
            finalReads(workers, specs);
            // The agreement window starts once every member is up: a member added back near the
            // end of the chaos can take tens of seconds to start (a preloaded libfaketime slows a
            // JVM's start), and a member that has not started yet has nothing to disagree with.
            cluster.awaitAllAnswering(START_LIMIT);
            Optional<String> divergence = cluster.awaitReplicasAgree(REPLICAS_AGREE_LIMIT);
            History history = History.of(recorder.events());
            return judge(history, recovered, divergence, faults, recoveryMillis);
        } finally {
            try {
                cluster.close();
            } finally {
                if (config.nemesis().isPresent()) {
                    config.nemesis().get().tearDown(cluster);
                }
            }
        }
    }

    private long chaos(Cluster cluster, Recorder recorder, Random random) throws Exception {
        if (config.nemesis().isEmpty()) {
            pause(config.chaos());
            return 0;
        }
        long end = System.nanoTime() + config.chaos().toNanos();
        int minimum = config.nemesis().get().minimumFaults();
        Fault active = null;
        long count = 0;
        while (System.nanoTime() < end || count < minimum) {
            pause(Duration.ofMillis(3000 + random.nextInt(4000)));
            if (active == null) {
                active = config.nemesis().get().inject(cluster, random);
                recorder.nemesis("start", TextNode.valueOf(active.description()));
                count++;
            } else {
                active.heal();
                recorder.nemesis("stop", TextNode.valueOf(active.description()));
                active = null;
            }
        }
        if (active != null) {
            active.heal();
            recorder.nemesis("stop", TextNode.valueOf(active.description()));
        }
        return count;
    }

    /** Whatever the nemesis did, every member runs, unpaused, on an open network. */
    private void healEverything(Cluster cluster, Recorder recorder) throws Exception {
        if (config.nemesis().isPresent()) {
            config.nemesis().get().healAll(cluster);
        }
        for (NodeProcess n : cluster.nodes()) {
            n.resume();
            n.start();
        }
        recorder.nemesis("heal-all", TextNode.valueOf("all members running, network healed"));
    }

    private void finalReads(Workers workers, List<NodeSpec> specs) {
        int process = 1_000_000;
        for (Invocation read : config.workload().finalReads()) {
            workers.perform(process++, specs.get(0), read);
        }
    }

    private RunResult judge(History history, boolean recovered, Optional<String> divergence, long faults,
            long recoveryMillis) throws Exception {
        List<Operation> ops = history.operations();
        List<CheckResult> results = new ArrayList<>(config.workload().check(ops));
        long ok = ops.stream().filter(Operation::isOk).count();
        long info = ops.stream().filter(Operation::isInfo).count();
        long fail = ops.size() - ok - info;
        results.add(recovered ? CheckResult.valid("recovery")
                : new CheckResult("recovery", Verdict.INVALID, List.of("no successful write within " + RECOVERY_LIMIT + " of healing")));
        // Every replica applied the same log: the same tree at the same index, read from each one's own state.
        results.add(divergence.map(d -> new CheckResult("replicas-agree", Verdict.INVALID,
                List.of("no agreement within " + REPLICAS_AGREE_LIMIT + ": " + d))).orElse(CheckResult.valid("replicas-agree")));
        // A run in which nothing succeeded proves nothing.
        results.add(ok >= 10 ? CheckResult.valid("traffic")
                : new CheckResult("traffic", Verdict.UNKNOWN, List.of("only " + ok + " operations succeeded")));
        Verdict verdict = results.stream().map(CheckResult::verdict).reduce(Verdict.VALID, Verdict::and);
        RunStats stats = new RunStats(ok, fail, info, faults, recoveryMillis);
        RunResult result = new RunResult(config.name(), config.seed(), verdict, results, config.dir(), stats);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(config.dir().resolve("results.json").toFile(), result);
        new HtmlReport(history, result).write(config.dir().resolve("report.html"));
        return result;
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
