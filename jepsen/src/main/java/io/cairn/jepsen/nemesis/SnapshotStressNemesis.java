package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Catch-up by snapshot: members run with a tiny snapshot threshold and keep few entries behind
 * each snapshot; a follower is cut off (iptables, both directions) while the others take enough
 * writes to snapshot and compact past it, so once healed it can only catch up by installing the
 * leader's snapshot. The heal waits for the follower's installed-snapshot counter (its
 * {@code /metrics}) to move and says in the fault's description whether it did.
 */
public final class SnapshotStressNemesis implements FirewallNemesis {
    static final int SNAPSHOT_COUNT = 50;
    static final int CATCHUP_ENTRIES = 10;
    /** Writes pushed through the majority while the follower is cut off: several snapshots' worth. */
    private static final int BURST = 3 * (SNAPSHOT_COUNT + CATCHUP_ENTRIES);
    private static final Duration INSTALL_LIMIT = Duration.ofSeconds(20);
    static final String INSTALLED_METRIC = "cairn_raft_snapshots_installed_total";

    private final V2Client client = new V2Client(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(2));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    @Override
    public String name() {
        return "snapshot-stress";
    }

    @Override
    public List<String> memberFlags() {
        return List.of("--snapshot-count", String.valueOf(SNAPSHOT_COUNT),
                "--experimental-snapshot-catchup-entries", String.valueOf(CATCHUP_ENTRIES));
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        NodeProcess leader = cluster.leader().orElse(null);
        List<NodeProcess> followers = cluster.nodes().stream().filter(n -> n != leader && n.isRunning()).toList();
        NodeProcess follower = followers.isEmpty() ? Targets.ONE.pick(cluster, random).get(0)
                : followers.get(random.nextInt(followers.size()));
        OptionalLong before = installedSnapshots(follower);
        List<NodeProcess> rest = cluster.nodes().stream().filter(n -> n != follower).toList();
        for (NodeProcess other : rest) {
            Firewall.drop(other.spec().ip(), follower.spec().ip());
            Firewall.drop(follower.spec().ip(), other.spec().ip());
        }
        int written = burst(rest);
        String injected = "cut off follower " + follower.spec().name() + ", then " + written + " of " + BURST
                + " extra writes through the rest";
        return Fault.healedWithReport(injected, () -> {
            Firewall.heal();
            return awaitInstall(follower, before);
        });
    }

    /** Sequential writes of one key through the first member that takes them; how many succeeded. */
    private int burst(List<NodeProcess> members) {
        int ok = 0;
        for (int i = 0; i < BURST; i++) {
            for (NodeProcess n : members) {
                try {
                    if (client.put(n.spec().clientUrl(), "/jepsen-snapshot-stress", Map.of("value", String.valueOf(i)))
                            .isSuccess()) {
                        ok++;
                        break;
                    }
                } catch (NoAnswerException e) {
                    // try the next member
                }
            }
        }
        return ok;
    }

    private String awaitInstall(NodeProcess follower, OptionalLong before) throws InterruptedException {
        if (before.isEmpty()) {
            return "snapshot install not verifiable: no " + INSTALLED_METRIC + " on " + follower.spec().name();
        }
        long deadline = System.nanoTime() + INSTALL_LIMIT.toNanos();
        OptionalLong now = before;
        while (System.nanoTime() < deadline) {
            now = installedSnapshots(follower);
            if (now.isPresent() && now.getAsLong() > before.getAsLong()) {
                return follower.spec().name() + " caught up by snapshot install (" + INSTALLED_METRIC + " "
                        + before.getAsLong() + " -> " + now.getAsLong() + ")";
            }
            Thread.sleep(200);
        }
        return "NO snapshot install seen on " + follower.spec().name() + " within " + INSTALL_LIMIT.toSeconds()
                + " s of healing (" + INSTALLED_METRIC + " still " + (now.isPresent() ? now.getAsLong() : "unknown") + ")";
    }

    /** The member's installed-snapshot counter from its Prometheus metrics; empty if it has none. */
    OptionalLong installedSnapshots(NodeProcess n) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.spec().clientUrl() + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? counter(r.body(), INSTALLED_METRIC) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Sum of the samples of {@code metric} in a Prometheus text exposition; empty if absent. */
    static OptionalLong counter(String exposition, String metric) {
        long sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                String value = line.substring(line.lastIndexOf(' ') + 1).strip();
                sum += (long) Double.parseDouble(value);
                found = true;
            }
        }
        return found ? OptionalLong.of(sum) : OptionalLong.empty();
    }
}
