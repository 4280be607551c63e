package io.cairn.jepsen.runner;

import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.cluster.NodeSpec;
import io.cairn.jepsen.history.Outcome;
import io.cairn.jepsen.workload.Completion;
import io.cairn.jepsen.workload.Invocation;
import io.cairn.jepsen.workload.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Client workers: each is a logical process with at most one open operation; after an uncertain
 * operation it continues as a new process (old + number of workers), as Jepsen does. Requests go
 * to a random member. A fixed pace per worker shapes the total rate.
 */
final class Workers {
    private final Workload workload;
    private final List<NodeSpec> nodes;
    private final Recorder recorder;
    private final int count;
    private final long pauseNanos;
    private final long seed;
    private final V2Client client = new V2Client(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Workers(Workload workload, List<NodeSpec> nodes, Recorder recorder, int count, int rate, long seed) {
        this.workload = workload;
        this.nodes = nodes;
        this.recorder = recorder;
        this.count = count;
        this.pauseNanos = TimeUnit.SECONDS.toNanos(1) * count / Math.max(1, rate);
        this.seed = seed;
    }

    void start() {
        for (int w = 0; w < count; w++) {
            int worker = w;
            Thread t = new Thread(() -> loop(worker), "worker-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(int worker) {
        Random random = new Random(seed * 31 + worker);
        int process = worker;
        while (running) {
            Invocation op = workload.next(process, random);
            NodeSpec node = nodes.get(random.nextInt(nodes.size()));
            Completion c = perform(process, node, op);
            if (c.outcome() == Outcome.INFO) {
                process += count;
            }
            long pause = pauseNanos / 2 + (long) (random.nextDouble() * pauseNanos);
            java.util.concurrent.locks.LockSupport.parkNanos(pause);
        }
    }

    /** Records the invocation, performs it, records the completion. */
    Completion perform(int process, NodeSpec node, Invocation planned) {
        Invocation op = workload.prepare(process, planned, client, node.clientUrl());
        if (op == null) {
            return Completion.fail("not prepared", null);
        }
        String p = String.valueOf(process);
        recorder.invoke(p, node.name(), op.f(), op.key(), op.input());
        Completion c = workload.run(process, op, client, node.clientUrl());
        recorder.complete(p, node.name(), c.outcome().name().toLowerCase(Locale.ROOT), op.f(), op.key(),
                c.output(), c.http(), c.etcdIndex() < 0 ? null : c.etcdIndex(), c.error());
        return c;
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
