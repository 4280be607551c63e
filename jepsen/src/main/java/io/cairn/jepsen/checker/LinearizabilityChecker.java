package io.cairn.jepsen.checker;

import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Decides whether a history is linearizable with respect to a per-key model: the
 * Wing-Gong-Lowe search with a memo of (linearized set, state), as Porcupine does it.
 *
 * <p>Linearizability is local, so the history is split by key and each key is searched alone.
 * Failed operations are dropped (they did not happen); uncertain reads are dropped (they carry
 * nothing); uncertain writes return at infinity, so the search may place them at any point after
 * their call, or last, which is the same as never. A key whose search exceeds its time budget
 * makes the verdict unknown, never valid.
 */
public final class LinearizabilityChecker {
    private final Duration budgetPerKey;
    private final int threads;

    public LinearizabilityChecker(Duration budgetPerKey, int threads) {
        this.budgetPerKey = budgetPerKey;
        this.threads = threads;
    }

    public <S> CheckResult check(String name, List<Operation> history, Supplier<Model<S>> models) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "linearizability-checker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<KeyResult>> futures = new ArrayList<>();
            for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
                futures.add(pool.submit(() -> checkKey(e.getKey(), e.getValue(), models.get())));
            }
            Verdict verdict = Verdict.VALID;
            List<String> problems = new ArrayList<>();
            for (Future<KeyResult> f : futures) {
                KeyResult r = f.get();
                verdict = verdict.and(r.verdict());
                if (r.verdict() != Verdict.VALID) {
                    problems.add(r.detail());
                }
            }
            return new CheckResult(name, verdict, problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CheckResult(name, Verdict.UNKNOWN, List.of("interrupted"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("checker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The verdict for one key, with a witness when it is not valid. */
    record KeyResult(Verdict verdict, String detail) {
    }

    <S> KeyResult checkKey(String key, List<Operation> all, Model<S> model) {
        List<Operation> ops = new ArrayList<>();
        for (Operation op : all) {
            if (op.outcome() == Outcome.FAIL || (op.isInfo() && model.isReadOnly(op))) {
                continue;
            }
            ops.add(op);
        }
        return new Search<>(ops, model, System.nanoTime() + budgetPerKey.toNanos()).run(key);
    }

    /** One call or return in the doubly linked list the search walks. */
    private static final class Entry {
        final int op;
        final boolean isCall;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, boolean isCall, long time) {
            this.op = op;
            this.isCall = isCall;
            this.time = time;
        }
    }

    private record Memo(BitSet linearized, Object state) {
    }

    private record Frame<S>(Entry call, S stateBefore) {
    }

    private static final class Search<S> {
        private final List<Operation> ops;
        private final Model<S> model;
        private final long deadline;
        private final Entry head = new Entry(-1, false, Long.MIN_VALUE);

        Search(List<Operation> ops, Model<S> model, long deadline) {
            this.ops = ops;
            this.model = model;
            this.deadline = deadline;
            buildList();
        }

        private void buildList() {
            List<Entry> entries = new ArrayList<>(ops.size() * 2);
            for (int i = 0; i < ops.size(); i++) {
                Entry call = new Entry(i, true, ops.get(i).call());
                Entry ret = new Entry(i, false, ops.get(i).ret());
                call.match = ret;
                ret.match = call;
                entries.add(call);
                entries.add(ret);
            }
            // Closed intervals: at equal times a call comes before a return.
            entries.sort(Comparator.comparingLong((Entry e) -> e.time)
                    .thenComparing(e -> e.isCall ? 0 : 1)
                    .thenComparingLong(e -> ops.get(e.op).id()));
            Entry prev = head;
            for (Entry e : entries) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
        }

        KeyResult run(String key) {
            S state = model.init();
            BitSet linearized = new BitSet(ops.size());
            Set<Memo> seen = new HashSet<>();
            Deque<Frame<S>> stack = new ArrayDeque<>();
            int longest = 0;
            Operation stuck = null;
            Entry cur = head.next;
            long steps = 0;
            while (head.next != null) {
                if ((++steps & 0x3ff) == 0 && System.nanoTime() > deadline) {
                    return new KeyResult(Verdict.UNKNOWN, "key " + key + ": search exceeded its time budget after "
                            + steps + " steps (" + ops.size() + " operations)");
                }
                if (cur.isCall) {
                    S next = model.step(state, ops.get(cur.op));
                    if (next != null) {
                        BitSet after = (BitSet) linearized.clone();
                        after.set(cur.op);
                        if (seen.add(new Memo(after, next))) {
                            stack.push(new Frame<>(cur, state));
                            linearized = after;
                            state = next;
                            lift(cur);
                            if (stack.size() > longest) {
                                longest = stack.size();
                            }
                            cur = head.next;
                            continue;
                        }
                    }
                    cur = cur.next;
                } else {
                    if (stuck == null || stack.size() >= longest - 1) {
                        stuck = ops.get(cur.op);
                    }
                    if (stack.isEmpty()) {
                        return new KeyResult(Verdict.INVALID, "key " + key + ": not linearizable; at most "
                                + longest + " of " + ops.size() + " operations can be ordered; cannot place " + stuck);
                    }
                    Frame<S> top = stack.pop();
                    state = top.stateBefore();
                    linearized.clear(top.call().op);
                    unlift(top.call());
                    cur = top.call().next;
                }
            }
            return new KeyResult(Verdict.VALID, "key " + key + ": linearizable (" + ops.size() + " operations)");
        }

        private static void lift(Entry call) {
            call.prev.next = call.next;
            call.next.prev = call.prev;
            Entry ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        private static void unlift(Entry call) {
            Entry ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            call.next.prev = call;
        }
    }
}
