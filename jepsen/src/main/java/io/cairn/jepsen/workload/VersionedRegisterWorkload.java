package io.cairn.jepsen.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.IndexChecker;
import io.cairn.jepsen.checker.LinearizabilityChecker;
import io.cairn.jepsen.checker.Results;
import io.cairn.jepsen.checker.VersionedRegisterModel;
import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import io.cairn.jepsen.history.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R2: registers with unique values, checked by value and modifiedIndex: quorum reads, writes,
 * read-then-CAS on prevIndex, create (prevExist=false), delete and compare-and-delete. The index
 * a compare uses, and the value it was read with, are read just before the invocation and are
 * part of its recorded input.
 */
public final class VersionedRegisterWorkload implements Workload {
    private final String prefix;
    private final int opsPerKey;
    private final Duration checkBudget;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong values = new AtomicLong();
    private final AtomicLong highestKey = new AtomicLong();

    public VersionedRegisterWorkload(String prefix, int opsPerKey, Duration checkBudget) {
        this.prefix = prefix;
        this.opsPerKey = opsPerKey;
        this.checkBudget = checkBudget;
    }

    @Override
    public String name() {
        return "versioned-register";
    }

    private String key(long n) {
        return prefix + "/v/" + n;
    }

    @Override
    public Invocation next(int process, Random random) {
        long n = issued.getAndIncrement() / opsPerKey;
        highestKey.accumulateAndGet(n, Math::max);
        String key = key(n);
        String value = "v" + values.incrementAndGet();
        return switch (random.nextInt(8)) {
            case 0, 1, 2 -> new Invocation("read", key, null);
            case 3 -> new Invocation("write", key, Classify.text(value));
            case 4, 5 -> new Invocation("cas-idx", key, Classify.JSON.createObjectNode().put("value", value));
            case 6 -> new Invocation("create", key, Classify.text(value));
            default -> new Invocation(random.nextBoolean() ? "delete" : "cad", key, Classify.JSON.createObjectNode());
        };
    }

    /** Compare operations read the key's current index first; that read is not part of the history. */
    @Override
    public Invocation prepare(int process, Invocation op, V2Client client, URI endpoint) {
        if (!op.f().equals("cas-idx") && !op.f().equals("cad")) {
            return op;
        }
        try {
            V2Response r = client.get(endpoint, op.key(), Map.of("quorum", "true"));
            ObjectNode input = ((ObjectNode) op.input()).deepCopy();
            if (r.status() == 200) {
                // The value seen goes into the input too: it may be an uncertain write's only observation.
                input.put("prevIndex", r.node().path("modifiedIndex").asLong()).put("seenValue", r.node().path("value").asText());
            } else {
                input.put("prevIndex", 1);
            }
            return new Invocation(op.f(), op.key(), input);
        } catch (NoAnswerException e) {
            return null;
        }
    }

    @Override
    public Completion run(int process, Invocation op, V2Client client, URI endpoint) {
        try {
            return switch (op.f()) {
                case "read" -> read(client.get(endpoint, op.key(), Map.of("quorum", "true")));
                case "write" -> mutation(client.put(endpoint, op.key(), Map.of("value", op.input().asText())));
                case "cas-idx" -> mutation(client.put(endpoint, op.key(), Map.of("value", op.input().path("value").asText(),
                        "prevIndex", op.input().path("prevIndex").asText())));
                case "create" -> mutation(client.put(endpoint, op.key(), Map.of("value", op.input().asText(), "prevExist", "false")));
                case "delete" -> mutation(client.delete(endpoint, op.key(), Map.of()));
                case "cad" -> mutation(client.delete(endpoint, op.key(), Map.of("prevIndex", op.input().path("prevIndex").asText())));
                default -> throw new IllegalArgumentException(op.f());
            };
        } catch (NoAnswerException e) {
            return op.f().equals("read") ? Classify.readFailed(e) : Classify.writeUnanswered(e);
        }
    }

    private static Completion read(V2Response r) {
        if (r.status() == 200) {
            return Completion.ok(Classify.JSON.createObjectNode().put("value", r.node().path("value").asText())
                    .put("index", r.node().path("modifiedIndex").asLong()), 200, r.etcdIndex());
        }
        return Classify.notFound(r) ? Completion.ok(null, 404, r.etcdIndex()) : Classify.unexpected(r);
    }

    private static Completion mutation(V2Response r) {
        if (r.isSuccess()) {
            return Completion.ok(Classify.applied(r), r.status(), r.etcdIndex());
        }
        if (Classify.compareFailed(r)) {
            return Completion.ok(Classify.result(Results.COMPARE_FAILED), r.status(), r.etcdIndex());
        }
        if (Classify.notFound(r)) {
            return Completion.ok(Classify.result(Results.NOT_FOUND), r.status(), r.etcdIndex());
        }
        if (Classify.exists(r)) {
            return Completion.ok(Classify.result(Results.EXISTS), r.status(), r.etcdIndex());
        }
        return Classify.unexpected(r);
    }

    @Override
    public List<Invocation> finalReads() {
        List<Invocation> reads = new ArrayList<>();
        for (long n = 0; n <= highestKey.get(); n++) {
            reads.add(new Invocation("read", key(n), null));
        }
        return reads;
    }

    @Override
    public List<CheckResult> check(List<Operation> history) {
        Map<String, Long> observed = new HashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (Operation op : history) {
            if (op.input().has("seenValue")) {
                observe(observed, conflicts, op.input().path("seenValue").asText(), op.input().path("prevIndex").asLong(), op);
            }
            if (!op.isOk()) {
                continue;
            }
            JsonNode out = op.output();
            if (op.f().equals("read") && !out.isNull()) {
                observe(observed, conflicts, out.path("value").asText(), out.path("index").asLong(), op);
            } else if (Results.index(out) > 0 && !op.f().equals("delete") && !op.f().equals("cad")) {
                String value = op.f().equals("cas-idx") ? op.input().path("value").asText() : op.input().asText();
                observe(observed, conflicts, value, Results.index(out), op);
            }
        }
        return List.of(new LinearizabilityChecker(checkBudget, 2)
                        .check("linearizable", history, () -> new VersionedRegisterModel(observed)),
                CheckResult.of("one-index-per-write", conflicts),
                new IndexChecker().check(history));
    }

    /** Values are unique, so every observation of one must show the index of the one write that stored it. */
    private static void observe(Map<String, Long> observed, List<String> conflicts, String value, long index, Operation op) {
        Long earlier = observed.putIfAbsent(value, index);
        if (earlier != null && earlier != index) {
            conflicts.add("value " + value + " seen at index " + earlier + " and at " + index + " (op " + op.id() + ")");
        }
    }
}
