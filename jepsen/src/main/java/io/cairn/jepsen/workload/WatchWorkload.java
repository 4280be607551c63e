package io.cairn.jepsen.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.IndexChecker;
import io.cairn.jepsen.checker.WatchChecker;
import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import io.cairn.jepsen.history.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W1: writers set unique values on a few keys under one prefix; watchers follow the prefix with
 * recursive long-polls, each resumed at the last event's index + 1 through a random member.
 * A watcher starts near the current index, sometimes in the past, sometimes in the future.
 */
public final class WatchWorkload implements Workload {
    private static final Duration POLL = Duration.ofSeconds(3);

    private final String prefix;
    private final int writers;
    private final int workers;
    private final AtomicLong values = new AtomicLong();
    private final Map<Integer, Long> nextIndex = new ConcurrentHashMap<>();

    public WatchWorkload(String prefix, int writers, int workers) {
        this.prefix = prefix + "/w";
        this.writers = writers;
        this.workers = workers;
    }

    @Override
    public String name() {
        return "watch";
    }

    @Override
    public Invocation next(int process, Random random) {
        if (process % workers < writers) {
            return new Invocation("write", prefix + "/" + random.nextInt(3), Classify.text("w" + values.incrementAndGet()));
        }
        Long from = nextIndex.get(process);
        return new Invocation("watch", prefix, Classify.JSON.createObjectNode()
                .put("waitIndex", from == null ? -1 : from).put("offset", random.nextInt(101) - 50));
    }

    @Override
    public Completion run(int process, Invocation op, V2Client client, URI endpoint) {
        if (op.f().equals("watch")) {
            return watch(process, op, client, endpoint);
        }
        try {
            V2Response r = client.put(endpoint, op.key(), Map.of("value", op.input().asText()));
            return r.isSuccess() ? Completion.ok(Classify.applied(r), r.status(), r.etcdIndex()) : Classify.unexpected(r);
        } catch (NoAnswerException e) {
            return Classify.writeUnanswered(e);
        }
    }

    /**
     * The invocation's waitIndex is final when recorded, so a watcher without a position first
     * learns the current index (a plain read: it changes nothing) and starts near it.
     */
    @Override
    public Invocation prepare(int process, Invocation op, V2Client client, URI endpoint) {
        if (!op.f().equals("watch") || op.input().path("waitIndex").asLong() >= 0) {
            return op;
        }
        try {
            V2Response r = client.get(endpoint, prefix, Map.of());
            long start = Math.max(1, r.etcdIndex() + op.input().path("offset").asLong());
            return new Invocation("watch", prefix, Classify.JSON.createObjectNode().put("waitIndex", start));
        } catch (NoAnswerException e) {
            return null;
        }
    }

    private Completion watch(int process, Invocation op, V2Client client, URI endpoint) {
        long from = op.input().path("waitIndex").asLong();
        try {
            V2Response r = client.get(endpoint, prefix, Map.of("wait", "true", "recursive", "true",
                    "waitIndex", String.valueOf(from)), POLL);
            if (r.status() == 200) {
                JsonNode node = r.node();
                long index = node.path("modifiedIndex").asLong();
                nextIndex.put(process, index + 1);
                return Completion.ok(Classify.JSON.createObjectNode().put("key", node.path("key").asText())
                        .put("value", node.path("value").asText()).put("index", index)
                        .put("action", r.body().path("action").asText()), 200, r.etcdIndex());
            }
            if (r.errorCode() == 401) {
                nextIndex.remove(process);
                return Completion.ok(Classify.JSON.createObjectNode().put("cleared", true), r.status(), r.etcdIndex());
            }
            return Classify.unexpected(r);
        } catch (NoAnswerException e) {
            return Classify.readFailed(e);
        }
    }

    @Override
    public List<Invocation> finalReads() {
        return List.of();
    }

    @Override
    public List<CheckResult> check(List<Operation> history) {
        return List.of(new WatchChecker().check(history), new IndexChecker().check(history));
    }
}
