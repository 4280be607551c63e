package io.cairn.jepsen.workload;

import io.cairn.jepsen.checker.CasRegisterModel;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.IndexChecker;
import io.cairn.jepsen.checker.LinearizabilityChecker;
import io.cairn.jepsen.checker.Results;
import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import io.cairn.jepsen.history.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R1: per-key registers with quorum reads, writes of 0-4 and compare-and-swap on the value.
 * A new key every {@code opsPerKey} operations keeps each key's search small.
 */
public final class CasRegisterWorkload implements Workload {
    private final String prefix;
    private final int opsPerKey;
    private final int readOnlyProcesses;
    private final Duration checkBudget;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong highestKey = new AtomicLong();

    public CasRegisterWorkload(String prefix, int opsPerKey, int readOnlyProcesses, Duration checkBudget) {
        this.prefix = prefix;
        this.opsPerKey = opsPerKey;
        this.readOnlyProcesses = readOnlyProcesses;
        this.checkBudget = checkBudget;
    }

    @Override
    public String name() {
        return "cas-register";
    }

    private String key(long n) {
        return prefix + "/r/" + n;
    }

    @Override
    public Invocation next(int process, Random random) {
        long n = issued.getAndIncrement() / opsPerKey;
        highestKey.accumulateAndGet(n, Math::max);
        String key = key(n);
        if (process % (readOnlyProcesses * 2) < readOnlyProcesses || random.nextInt(3) == 0) {
            return new Invocation("read", key, null);
        }
        String v = String.valueOf(random.nextInt(5));
        if (random.nextBoolean()) {
            return new Invocation("write", key, Classify.text(v));
        }
        return new Invocation("cas", key, Classify.JSON.createObjectNode().put("from", String.valueOf(random.nextInt(5))).put("to", v));
    }

    @Override
    public Completion run(int process, Invocation op, V2Client client, URI endpoint) {
        switch (op.f()) {
            case "read" -> {
                try {
                    V2Response r = client.get(endpoint, op.key(), Map.of("quorum", "true"));
                    if (r.status() == 200) {
                        return Completion.ok(Classify.text(r.node().path("value").asText()), 200, r.etcdIndex());
                    }
                    return Classify.notFound(r) ? Completion.ok(null, 404, r.etcdIndex()) : Classify.unexpected(r);
                } catch (NoAnswerException e) {
                    return Classify.readFailed(e);
                }
            }
            case "write" -> {
                try {
                    V2Response r = client.put(endpoint, op.key(), Map.of("value", op.input().asText()));
                    return r.isSuccess() ? Completion.ok(Classify.applied(r), r.status(), r.etcdIndex()) : Classify.unexpected(r);
                } catch (NoAnswerException e) {
                    return Classify.writeUnanswered(e);
                }
            }
            case "cas" -> {
                try {
                    V2Response r = client.put(endpoint, op.key(), Map.of("value", op.input().path("to").asText(),
                            "prevValue", op.input().path("from").asText()));
                    if (r.isSuccess()) {
                        return Completion.ok(Classify.applied(r), r.status(), r.etcdIndex());
                    }
                    if (Classify.compareFailed(r)) {
                        return Completion.ok(Classify.result(Results.COMPARE_FAILED), r.status(), r.etcdIndex());
                    }
                    if (Classify.notFound(r)) {
                        return Completion.ok(Classify.result(Results.NOT_FOUND), r.status(), r.etcdIndex());
                    }
                    return Classify.unexpected(r);
                } catch (NoAnswerException e) {
                    return Classify.writeUnanswered(e);
                }
            }
            default -> throw new IllegalArgumentException(op.f());
        }
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
        return List.of(new LinearizabilityChecker(checkBudget, 2).check("linearizable", history, CasRegisterModel::new),
                new IndexChecker().check(history));
    }
}
