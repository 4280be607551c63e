package io.cairn.jepsen.cluster;

import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The members under test, and the questions the harness asks them. */
public final class Cluster implements AutoCloseable {
    private final List<NodeProcess> nodes;
    private final Runnable onClose;
    private final V2Client probe = new V2Client(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(2));

    public Cluster(List<NodeProcess> nodes) {
        this(nodes, () -> { });
    }

    Cluster(List<NodeProcess> nodes, Runnable onClose) {
        this.nodes = List.copyOf(nodes);
        this.onClose = onClose;
    }

    /** n members on 127.0.0.11, .12, ... with data and logs under {@code dir}. */
    public static Cluster create(ServerKind kind, int size, Path dir, String token, Map<String, String> env) {
        try {
            return create(kind, size, dir, token, env, MemberLaunch.Adapter.NONE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the identity adapter does no I/O
        }
    }

    /** Like {@link #create(ServerKind, int, Path, String, Map)}, each member's launch adapted by {@code adapter}. */
    public static Cluster create(ServerKind kind, int size, Path dir, String token, Map<String, String> env,
            MemberLaunch.Adapter adapter) throws IOException {
        List<NodeSpec> specs = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            String name = "n" + i;
            specs.add(new NodeSpec(name, "127.0.0.1" + i, 2379, 2380, dir.resolve(name).resolve("data"),
                    dir.resolve(name + ".log")));
        }
        if (kind.isDocker()) {
            MemberLaunch unchanged = new MemberLaunch(List.of(), Map.of());
            if (!adapter.adapt(specs.get(0), unchanged).equals(unchanged)) {
                throw new IllegalArgumentException("a nemesis of this run changes how members start (a preloaded "
                        + "library): it needs local members, not --server docker");
            }
            return DockerBackend.create(kind.executable().get(0), size, dir, token);
        }
        List<NodeProcess> nodes = new ArrayList<>();
        for (NodeSpec spec : specs) {
            MemberLaunch launch = adapter.adapt(spec, new MemberLaunch(kind.command(spec, specs, token), env));
            nodes.add(new NodeProcess(spec, launch.command(), launch.environment()));
        }
        return new Cluster(nodes);
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    public void startAll() throws IOException {
        for (NodeProcess n : nodes) {
            n.start();
        }
    }

    /** The member that says it leads (v2 self stats), if one answers. */
    public Optional<NodeProcess> leader() {
        for (NodeProcess n : nodes) {
            if (!n.isRunning()) {
                continue;
            }
            try {
                V2Response r = probe.getPath(n.spec().clientUrl(), "/v2/stats/self");
                if (r.status() == 200 && r.body().path("state").asText().equals("StateLeader")) {
                    return Optional.of(n);
                }
            } catch (NoAnswerException e) {
                // not answering: not the leader we can use
            }
        }
        return Optional.empty();
    }

    /** Polls until a quorum write succeeds through some member, or the deadline passes. */
    public boolean awaitWritable(Duration timeout) throws InterruptedException {
        return writeThroughAnyMember("ok", System.nanoTime() + timeout.toNanos());
    }

    /**
     * Writes a fresh marker through some member, then polls until every running member serves it
     * from its own state (a plain, local read): all are up, connected and caught up.
     */
    public boolean awaitAllCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String marker = "caught-up-" + System.nanoTime();
        if (!writeThroughAnyMember(marker, deadline)) {
            return false;
        }
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(n -> !n.isRunning() || serves(n, marker))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private boolean writeThroughAnyMember(String value, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (nodes.stream().anyMatch(n -> n.isRunning() && writes(n, value))) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /**
     * Polls until every running member answers its v2 self stats (a member re-added late in the
     * run may still be starting), so that what follows judges members that are up. False if some
     * member still does not answer at the deadline.
     */
    public boolean awaitAllAnswering(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(n -> !n.isRunning() || answers(n))) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private boolean answers(NodeProcess n) {
        try {
            return probe.getPath(n.spec().clientUrl(), "/v2/stats/self").status() == 200;
        } catch (NoAnswerException e) {
            return false;
        }
    }

    /**
     * Once the traffic has stopped: polls until every running member, reading its own state,
     * answers the same sorted recursive listing of the whole key space at the same X-Etcd-Index.
     * Returns the last disagreement seen if they never agree within {@code timeout}.
     */
    public Optional<String> awaitReplicasAgree(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String disagreement = "no member answered";
        while (System.nanoTime() < deadline) {
            disagreement = disagreement();
            if (disagreement == null) {
                return Optional.empty();
            }
            Thread.sleep(200);
        }
        return Optional.of(disagreement);
    }

    /** Null when every running member lists the same tree at the same index, else what differs. */
    private String disagreement() {
        Map<String, V2Response> listings = new LinkedHashMap<>();
        for (NodeProcess n : nodes) {
            if (!n.isRunning()) {
                continue;
            }
            try {
                listings.put(n.spec().name(), probe.get(n.spec().clientUrl(), "/",
                        Map.of("recursive", "true", "sorted", "true"), Duration.ofSeconds(10)));
            } catch (NoAnswerException e) {
                return n.spec().name() + " does not answer: " + e.getMessage();
            }
        }
        return ReplicaAgreement.disagreement(listings);
    }

    private boolean writes(NodeProcess n, String value) {
        try {
            return probe.put(n.spec().clientUrl(), "/jepsen-health", Map.of("value", value)).isSuccess();
        } catch (NoAnswerException e) {
            return false;
        }
    }

    private boolean serves(NodeProcess n, String marker) {
        try {
            V2Response r = probe.get(n.spec().clientUrl(), "/jepsen-health", Map.of());
            return r.status() == 200 && r.node().path("value").asText().equals(marker);
        } catch (NoAnswerException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess n : nodes) {
            if (n instanceof ContainerNode c) {
                c.remove();
            } else {
                n.kill();
            }
        }
        onClose.run();
    }
}
