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
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long writes are unavailable when the leader dies (kill -9) or is stopped (SIGTERM):
 * several writers keep writing through the surviving members with short timeouts; the figure is
 * the time from the fault to the first acknowledged write that was sent after it.
 */
final class Failover {
    private static final int WRITERS = 4;
    private static final Duration GIVE_UP = Duration.ofSeconds(30);

    private Failover() {
    }

    /** Milliseconds of write unavailability, or -1 if writes did not resume within 30 s. */
    static long measure(Cluster cluster, boolean graceful) throws InterruptedException {
        NodeProcess leader = cluster.leader().orElseThrow(() -> new IllegalStateException("no leader"));
        List<URI> survivors = cluster.nodes().stream().filter(n -> n != leader).map(n -> n.spec().clientUrl()).toList();
        V2Client client = new V2Client(Duration.ofMillis(200), Duration.ofMillis(250), Duration.ofMillis(250));
        AtomicLong firstAck = new AtomicLong(Long.MAX_VALUE);
        long faultAt = System.nanoTime();
        Thread[] writers = new Thread[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            URI target = survivors.get(w % survivors.size());
            writers[w] = new Thread(() -> writeUntilAcknowledged(client, target, faultAt, firstAck), "failover-writer-" + w);
            writers[w].start();
        }
        if (graceful) {
            leader.stop();
        } else {
            leader.kill();
        }
        for (Thread t : writers) {
            t.join(GIVE_UP.toMillis() + 5_000);
        }
        long ack = firstAck.get();
        return ack == Long.MAX_VALUE ? -1 : (ack - faultAt) / 1_000_000;
    }

    private static void writeUntilAcknowledged(V2Client client, URI target, long faultAt, AtomicLong firstAck) {
        long deadline = faultAt + GIVE_UP.toNanos();
        int n = 0;
        while (System.nanoTime() < deadline && firstAck.get() == Long.MAX_VALUE) {
            long sent = System.nanoTime();
            try {
                V2Response r = client.put(target, "/bench/failover", Map.of("value", String.valueOf(n++)));
                long now = System.nanoTime();
                if (r.isSuccess() && sent > faultAt) {
                    firstAck.accumulateAndGet(now, Math::min);
                }
            } catch (NoAnswerException e) {
                // not yet: try again at once
            }
        }
    }
}
