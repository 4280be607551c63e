package io.cairn.jepsen.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cairn.jepsen.checker.AppendChecker;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.IndexChecker;
import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import io.cairn.jepsen.history.Operation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A1: each key holds a comma-separated list. An append is a quorum read then a compare-and-swap
 * on the read's modifiedIndex (create-if-absent for the first element); a refused CAS is a
 * definite failure and the append tries again from a fresh read; an uncertain step makes the
 * whole append uncertain. The durability workload: the final read lists every acknowledged append.
 */
public final class AppendWorkload implements Workload {
    private static final int MAX_ATTEMPTS = 20;

    private final String prefix;
    private final int keys;
    private final AtomicLong elements = new AtomicLong();

    public AppendWorkload(String prefix, int keys) {
        this.prefix = prefix;
        this.keys = keys;
    }

    @Override
    public String name() {
        return "list-append";
    }

    @Override
    public Invocation next(int process, Random random) {
        String key = prefix + "/a/" + random.nextInt(keys);
        if (random.nextInt(4) == 0) {
            return new Invocation("read", key, null);
        }
        return new Invocation("append", key, Classify.text("e" + elements.incrementAndGet()));
    }

    @Override
    public Completion run(int process, Invocation op, V2Client client, URI endpoint) {
        return op.f().equals("read") ? read(op, client, endpoint) : append(op, client, endpoint);
    }

    private Completion read(Invocation op, V2Client client, URI endpoint) {
        try {
            V2Response r = client.get(endpoint, op.key(), Map.of("quorum", "true"));
            if (r.status() == 200) {
                return Completion.ok(list(r.node().path("value").asText()), 200, r.etcdIndex());
            }
            return Classify.notFound(r) ? Completion.ok(list(""), 404, r.etcdIndex()) : Classify.unexpected(r);
        } catch (NoAnswerException e) {
            return Classify.readFailed(e);
        }
    }

    private Completion append(Invocation op, V2Client client, URI endpoint) {
        String element = op.input().asText();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            V2Response current;
            try {
                current = client.get(endpoint, op.key(), Map.of("quorum", "true"));
            } catch (NoAnswerException e) {
                return Completion.fail("read before append: " + e.getMessage(), null);
            }
            Map<String, String> form;
            if (current.status() == 200) {
                String value = current.node().path("value").asText();
                form = Map.of("value", value + "," + element,
                        "prevIndex", String.valueOf(current.node().path("modifiedIndex").asLong()));
            } else if (Classify.notFound(current)) {
                form = Map.of("value", element, "prevExist", "false");
            } else {
                return Classify.unexpected(current);
            }
            try {
                V2Response r = client.put(endpoint, op.key(), form);
                if (r.isSuccess()) {
                    return Completion.ok(Classify.applied(r), r.status(), r.etcdIndex());
                }
                if (!Classify.compareFailed(r) && !Classify.exists(r) && !Classify.notFound(r)) {
                    return Classify.unexpected(r);
                }
            } catch (NoAnswerException e) {
                return Classify.writeUnanswered(e);
            }
        }
        return Completion.fail("contended: no CAS succeeded in " + MAX_ATTEMPTS + " attempts", 412);
    }

    private static ArrayNode list(String value) {
        ArrayNode list = Classify.JSON.createArrayNode();
        if (!value.isEmpty()) {
            for (String e : value.split(",")) {
                list.add(e);
            }
        }
        return list;
    }

    @Override
    public List<Invocation> finalReads() {
        List<Invocation> reads = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            reads.add(new Invocation("read", prefix + "/a/" + k, null));
        }
        return reads;
    }

    @Override
    public List<CheckResult> check(List<Operation> history) {
        return List.of(new AppendChecker().check(history), new IndexChecker().check(history));
    }
}
