package io.cairn.jepsen.checker;

import io.cairn.jepsen.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C2, the cross-key invariants of the etcd index that a per-key search cannot see:
 * <ul>
 *   <li>two acknowledged mutations never share a modifiedIndex (no double apply, no divergence);</li>
 *   <li>a mutation that completed before another was invoked has the smaller index;</li>
 *   <li>a quorum read invoked after a mutation completed answers X-Etcd-Index at least its index;</li>
 *   <li>each process sees X-Etcd-Index of its quorum reads never go backwards.</li>
 * </ul>
 * Mutations are the ok operations (other than reads and listings) whose output has an "index";
 * reads contribute their X-Etcd-Index. One sort and one sweep: O(n log n).
 */
public final class IndexChecker {
    /** Quorum reads. Watches are left out: a lagging member may serve them. */
    private static final Set<String> READS = Set.of("read", "list");
    private static final String WATCH = "watch";

    public CheckResult check(List<Operation> history) {
        List<Operation> mutations = new ArrayList<>();
        List<Operation> reads = new ArrayList<>();
        for (Operation op : history) {
            if (!op.isOk() || op.f().equals(WATCH)) {
                continue;
            }
            if (READS.contains(op.f())) {
                if (op.etcdIndex() >= 0) {
                    reads.add(op);
                }
            } else if (Results.result(op.output()).equals(Results.OK) && Results.index(op.output()) > 0) {
                mutations.add(op);
            }
        }
        List<String> problems = new ArrayList<>();
        uniqueIndexes(mutations, problems);
        realtimeOrder(mutations, reads, problems);
        perProcessMonotonic(reads, problems);
        return CheckResult.of("index", problems);
    }

    private static void uniqueIndexes(List<Operation> mutations, List<String> problems) {
        Map<Long, Operation> byIndex = new HashMap<>();
        for (Operation op : mutations) {
            Operation other = byIndex.putIfAbsent(Results.index(op.output()), op);
            if (other != null) {
                problems.add("index " + Results.index(op.output()) + " acknowledged twice: " + other + " and " + op);
            }
        }
    }

    private static void realtimeOrder(List<Operation> mutations, List<Operation> reads, List<String> problems) {
        List<Operation> byReturn = new ArrayList<>(mutations);
        byReturn.sort(Comparator.comparingLong(Operation::ret));
        List<Operation> byCall = new ArrayList<>(mutations);
        byCall.addAll(reads);
        byCall.sort(Comparator.comparingLong(Operation::call));

        int done = 0;
        Operation latest = null;
        for (Operation op : byCall) {
            while (done < byReturn.size() && byReturn.get(done).ret() < op.call()) {
                Operation finished = byReturn.get(done++);
                if (latest == null || Results.index(finished.output()) > Results.index(latest.output())) {
                    latest = finished;
                }
            }
            if (latest == null) {
                continue;
            }
            long floor = Results.index(latest.output());
            if (READS.contains(op.f())) {
                if (op.etcdIndex() < floor) {
                    problems.add("stale index: " + op + " answered X-Etcd-Index " + op.etcdIndex()
                            + " after " + latest + " had completed at index " + floor);
                }
            } else if (Results.index(op.output()) <= floor) {
                problems.add("index order: " + op + " got index " + Results.index(op.output())
                        + " although " + latest + " completed before it began, at index " + floor);
            }
        }
    }

    private static void perProcessMonotonic(List<Operation> reads, List<String> problems) {
        Map<Integer, Operation> last = new HashMap<>();
        List<Operation> byCall = new ArrayList<>(reads);
        byCall.sort(Comparator.comparingLong(Operation::call));
        for (Operation op : byCall) {
            Operation previous = last.put(op.process(), op);
            if (previous != null && op.etcdIndex() < previous.etcdIndex()) {
                problems.add("X-Etcd-Index went backwards for process " + op.process() + ": " + previous.etcdIndex()
                        + " then " + op.etcdIndex() + " (" + op + ")");
            }
        }
    }
}
