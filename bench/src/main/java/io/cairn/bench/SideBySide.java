package io.cairn.bench;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.ServerKind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/bin/side-by-side}: a 3-member etcd and a 3-member Cairn on loopback, one at a time,
 * the same workloads against each, alternating over several rounds; prints the median of every
 * figure and the ratio Cairn/etcd, and writes a Markdown table and an SVG chart.
 */
@Command(name = "side-by-side", mixinStandardHelpOptions = true)
public final class SideBySide implements Callable<Integer> {

    @Option(names = "--rounds", description = "A/B rounds (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--duration", description = "seconds per workload (default: ${DEFAULT-VALUE})")
    int duration = 8;

    @Option(names = "--cairn-launcher", description = "default: ${DEFAULT-VALUE}")
    String launcher = "bin/cairn";

    @Option(names = "--out", description = "results directory (default: bench/results/<date>)")
    Path out;

    /*
     * Why two minutes: on the 2-core machine three JVMs share the cores with the load generator, and
     * C2 was still compiling (4 s of compiler time per 17 s) after 30 s of load; PUT throughput
     * settled only after about a minute of it (3,500 -> 6,100 req/s). etcd has nothing to warm.
     */
    @Option(names = "--warmup", description = "seconds of load, every workload in turn, run and discarded after each "
            + "cluster starts: a JVM compiles its hot paths in the first minute or two, and a store serves for "
            + "days (default: ${DEFAULT-VALUE})")
    int warmup = 120;

    @Option(names = "--no-failover", description = "skip the leader kill / SIGTERM measurements")
    boolean noFailover;

    @Option(names = "--watchers", description = "long-poll watchers parked on one member, in the last round; 0 skips "
            + "(default: ${DEFAULT-VALUE})")
    int watchers = 10_000;

    @Option(names = "--restart-keys", description = "keys written before the whole-cluster restart, in the last round; "
            + "0 skips (default: ${DEFAULT-VALUE})")
    int restartKeys = 1_000_000;

    @Option(names = "--restart-samples", description = "whole-cluster restarts timed on that data (median reported; "
            + "default: ${DEFAULT-VALUE})")
    int restartSamples = 3;

    @Option(names = "--servers", split = ",", description = "which servers to run (default: ${DEFAULT-VALUE})")
    List<String> servers = List.of("etcd", "cairn");

    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            out = Path.of("bench/results", LocalDate.now().toString());
        }
        Files.createDirectories(out);
        Path json = out.resolve("runs.jsonl");
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(servers);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String server : order) {
                measure(server.equals("etcd") ? ServerKind.etcd() : ServerKind.cairn(launcher, List.of()), round, json);
            }
        }
        String table = table();
        Files.writeString(out.resolve("results.md"), table);
        Files.writeString(out.resolve("throughput.svg"), Chart.svg("Throughput, 3 members, 256-byte values (median of "
                + rounds + " rounds)", bars()));
        System.out.print(table);
        return 0;
    }

    private void measure(ServerKind kind, int round, Path json) throws Exception {
        System.err.printf("round %d %s: starting%n", round, kind.name());
        Path dir = out.resolve("round-" + round + "-" + kind.name());
        Cluster cluster = Cluster.create(kind, 3, dir, "bench-" + round, io.cairn.jepsen.JepsenMain.memberEnvironment());
        try {
            cluster.startAll();
            if (!cluster.awaitWritable(Duration.ofSeconds(60))) {
                throw new IllegalStateException(kind.name() + " did not come up; logs in " + dir);
            }
            List<URI> endpoints = cluster.nodes().stream().map(n -> n.spec().clientUrl()).toList();
            populate(endpoints);
            warmUp(endpoints);
            for (Scenario s : Scenario.standard()) {
                List<URI> targets = Targets.select(endpoints, s.target());
                LoadSpec spec = new LoadSpec(targets, s.connections(), s.op(), 256, 10_000, Duration.ofSeconds(duration),
                        0, Duration.ofSeconds(1), "/bench", false);
                LoadResult r = new LoadGenerator(spec, 1).run(kind.name(), s.target(), (phase, n, e) -> { });
                Reports.appendJson(json, r);
                add(kind, s.label() + " | req/s", r.throughput());
                add(kind, s.label() + " | p50 ms", r.p50Micros() / 1000.0);
                add(kind, s.label() + " | p99 ms", r.p99Micros() / 1000.0);
                System.err.printf(Locale.ROOT, "round %d %s %s: %,.0f req/s p99 %.1f ms%n", round, kind.name(), s.label(),
                        r.throughput(), r.p99Micros() / 1000.0);
            }
            for (NodeProcess n : cluster.nodes()) {
                add(kind, "resident memory per member | MiB", Rss.mib(n.pid()));
            }
            boolean lastRound = round == rounds - 1;
            if (lastRound && watchers > 0) {
                NodeProcess member = cluster.nodes().get(1);
                ParkedWatchers.Result w = ParkedWatchers.measure(member.spec().clientUrl(), member.pid(), watchers);
                String label = String.format(Locale.ROOT, "%,d parked watchers, one member", watchers);
                add(kind, label + " | extra MiB", w.extraMib());
                add(kind, label + " | extra threads", w.extraThreads());
                add(kind, label + " | ms until one event reached all", w.notified() == watchers ? w.notifiedMillis() : -1);
            }
            if (!noFailover) {
                add(kind, "writes unavailable after leader kill -9 | ms", Failover.measure(cluster, false));
                restartAndAwait(cluster, kind, dir, "the kill");
                add(kind, "writes unavailable after leader SIGTERM | ms", Failover.measure(cluster, true));
                restartAndAwait(cluster, kind, dir, "the SIGTERM");
            }
            if (lastRound && restartKeys > 0) {
                RestartTimer.populate(endpoints, restartKeys);
                String label = String.format(Locale.ROOT, "%,d keys", restartKeys);
                for (NodeProcess n : cluster.nodes()) {
                    add(kind, "resident memory per member, " + label + " | MiB", Rss.mib(n.pid()));
                }
                // one restart is at the mercy of the machine's mood: the figure is the median of several
                for (int sample = 0; sample < restartSamples; sample++) {
                    long ms = RestartTimer.measure(cluster, restartKeys);
                    System.err.printf(Locale.ROOT, "%s restart %d: %,d ms%n", kind.name(), sample + 1, ms);
                    add(kind, "serving after a whole-cluster restart, " + label + " | ms", ms);
                }
            }
        } finally {
            cluster.close();
        }
    }

    /**
     * Starts the member a failover stopped and waits until it serves again: with it still
     * starting, stopping another member would leave one, which no protocol can serve.
     */
    private static void restartAndAwait(Cluster cluster, ServerKind kind, Path dir, String after) throws Exception {
        cluster.startAll();
        if (!cluster.awaitAllCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException(kind.name() + " did not recover after " + after + "; logs in " + dir);
        }
    }

    private static void populate(List<URI> endpoints) throws InterruptedException {
        LoadSpec fill = new LoadSpec(endpoints, 32, Operation.PUT, 256, 10_000, Duration.ZERO, 10_000, Duration.ZERO,
                "/bench", true);
        new LoadGenerator(fill, 1).run("populate", "all", (phase, n, e) -> { });
    }

    /** Runs every workload for its share of the warm-up; the results are discarded. */
    private void warmUp(List<URI> endpoints) throws Exception {
        List<Scenario> scenarios = Scenario.standard();
        long share = warmup * 1000L / scenarios.size();
        if (share == 0) {
            return;
        }
        for (Scenario s : scenarios) {
            LoadSpec spec = new LoadSpec(Targets.select(endpoints, s.target()), s.connections(), s.op(), 256, 10_000,
                    Duration.ofMillis(share), 0, Duration.ZERO, "/bench", false);
            new LoadGenerator(spec, 1).run("warm-up", s.target(), (phase, n, e) -> { });
        }
    }

    private void add(ServerKind kind, String metric, double value) {
        samples.computeIfAbsent(kind.name() + " | " + metric, k -> new ArrayList<>()).add(value);
    }

    private double median(String server, String metric) {
        List<Double> values = new ArrayList<>(samples.getOrDefault(server + " | " + metric, List.of()));
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(Double::compare);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private List<String> metrics() {
        List<String> metrics = new ArrayList<>();
        for (String key : samples.keySet()) {
            String metric = key.substring(key.indexOf(" | ") + 3);
            if (!metrics.contains(metric)) {
                metrics.add(metric);
            }
        }
        return metrics;
    }

    private String table() {
        StringBuilder md = new StringBuilder("| workload | figure | etcd 3.4 | Cairn | Cairn/etcd |\n|---|---|---:|---:|---:|\n");
        for (String metric : metrics()) {
            String[] parts = metric.split(" \\| ");
            double etcd = median("etcd", metric);
            double cairn = median("cairn", metric);
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.1f | %,.1f | %.2f |%n", parts[0], parts[1], etcd, cairn,
                    cairn / etcd));
        }
        return md.toString();
    }

    private List<Chart.Bar> bars() {
        List<Chart.Bar> bars = new ArrayList<>();
        for (Scenario s : Scenario.standard()) {
            String metric = s.label() + " | req/s";
            bars.add(new Chart.Bar(s.label(), median("etcd", metric), median("cairn", metric)));
        }
        return bars;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SideBySide()).execute(args));
    }
}
