package io.cairn.jepsen.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.IndexChecker;
import io.cairn.jepsen.checker.QueueChecker;
import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import io.cairn.jepsen.history.Operation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S1: in-order keys as a queue. POST creates a child named by its createdIndex; listings read
 * the whole queue through the quorum. Catches lost, duplicated (double apply) and reordered posts.
 */
public final class QueueWorkload implements Workload {
    private final String queue;
    private final AtomicLong values = new AtomicLong();

    public QueueWorkload(String prefix) {
        this.queue = prefix + "/q";
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public Invocation next(int process, Random random) {
        if (random.nextInt(10) == 0) {
            return new Invocation("list", queue, null);
        }
        return new Invocation("post", queue, Classify.text("q" + values.incrementAndGet()));
    }

    @Override
    public Completion run(int process, Invocation op, V2Client client, URI endpoint) {
        if (op.f().equals("post")) {
            try {
                V2Response r = client.post(endpoint, queue, Map.of("value", op.input().asText()));
                if (r.isSuccess()) {
                    return Completion.ok(Classify.result("ok").put("index", r.node().path("createdIndex").asLong()),
                            r.status(), r.etcdIndex());
                }
                return Classify.unexpected(r);
            } catch (NoAnswerException e) {
                return Classify.writeUnanswered(e);
            }
        }
        try {
            V2Response r = client.get(endpoint, queue, Map.of("quorum", "true", "recursive", "true", "sorted", "true"));
            ArrayNode items = Classify.JSON.createArrayNode();
            if (r.status() == 200) {
                for (JsonNode child : r.node().path("nodes")) {
                    items.addObject().put("key", child.path("key").asText()).put("value", child.path("value").asText())
                            .put("createdIndex", child.path("createdIndex").asLong());
                }
                return Completion.ok(items, 200, r.etcdIndex());
            }
            return Classify.notFound(r) ? Completion.ok(items, 404, r.etcdIndex()) : Classify.unexpected(r);
        } catch (NoAnswerException e) {
            return Classify.readFailed(e);
        }
    }

    @Override
    public List<Invocation> finalReads() {
        return List.of(new Invocation("list", queue, null));
    }

    @Override
    public List<CheckResult> check(List<Operation> history) {
        return List.of(new QueueChecker().check(history), new IndexChecker().check(history));
    }
}
