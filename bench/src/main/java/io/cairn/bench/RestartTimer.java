package io.cairn.bench;

import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Time to serve after a whole-cluster restart on a large data set: every member is stopped
 * (SIGTERM) and started again on its data dir; the figure runs from the start to the first
 * answer that proves the cluster serves both ways: a quorum read of the last key populated and
 * an acknowledged write.
 */
final class RestartTimer {
    private static final Duration GIVE_UP = Duration.ofSeconds(120);

    private RestartTimer() {
    }

    /** Writes {@code keys} keys under {@code /restart} through every member, 64 connections. */
    static void populate(List<URI> endpoints, int keys) throws InterruptedException {
        LoadSpec fill = new LoadSpec(endpoints, 64, Operation.PUT, 256, keys, Duration.ZERO, keys, Duration.ZERO,
                "/restart", true);
        LoadResult r = new LoadGenerator(fill, 1).run("populate", "all", (phase, n, e) -> { });
        System.err.printf("populated %,d keys in %.0f s (%,.0f req/s, %d errors)%n", keys, r.seconds(), r.throughput(),
                r.errors());
    }

    /** Milliseconds from the restart to serving, or -1 if it did not serve within two minutes. */
    static long measure(Cluster cluster, int keys) throws Exception {
        for (NodeProcess n : cluster.nodes()) {
            n.stop();
        }
        long start = System.nanoTime();
        cluster.startAll();
        V2Client client = new V2Client(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(500));
        String lastKey = "/restart/k" + (keys - 1);
        boolean read = false;
        long deadline = start + GIVE_UP.toNanos();
        while (System.nanoTime() < deadline) {
            for (NodeProcess n : cluster.nodes()) {
                URI endpoint = n.spec().clientUrl();
                try {
                    if (!read) {
                        V2Response r = client.get(endpoint, lastKey, Map.of("quorum", "true"));
                        read = r.status() == 200;
                    }
                    if (read && client.put(endpoint, "/restart/after", Map.of("value", "x")).isSuccess()) {
                        return (System.nanoTime() - start) / 1_000_000;
                    }
                } catch (NoAnswerException e) {
                    // still starting
                }
            }
            Thread.sleep(10);
        }
        return -1;
    }
}
