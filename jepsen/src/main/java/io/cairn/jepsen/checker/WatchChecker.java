package io.cairn.jepsen.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * C4, watch completeness. Writers set unique values under one prefix; each watcher is a chain of
 * long-polls, each resumed at the last event's index + 1. The reference is the acknowledged
 * writes (unique values, known indexes) plus what every watcher saw, checked for agreement.
 * <ul>
 *   <li>committed only: an event's value was written, and not by a definitely failed write;
 *       an acknowledged write's event carries the index it was acknowledged with;</li>
 *   <li>agreement: two watchers never report different events at one index;</li>
 *   <li>resumable, no skips: a long-poll from w returns the first event at or after w, so no
 *       acknowledged write lies in [w, returned index); never an event before w;</li>
 *   <li>ordered and unique: each watcher's indexes strictly increase, reconnects included;</li>
 *   <li>"event index cleared" (401) only when w is more than the 1,000-event history behind.</li>
 * </ul>
 * Operations: {@code write} (input value, output {"index"}); {@code watch} (input {"waitIndex"},
 * output {"key","value","index","action"} or {"cleared":true}, with the X-Etcd-Index).
 */
public final class WatchChecker {
    private static final long HISTORY = 1000;

    public CheckResult check(List<Operation> history) {
        List<String> problems = new ArrayList<>();
        Set<String> attempted = new HashSet<>();
        Set<String> failed = new HashSet<>();
        Map<String, Long> acknowledged = new HashMap<>();
        TreeMap<Long, String> ackedByIndex = new TreeMap<>();
        List<Operation> watches = new ArrayList<>();
        for (Operation op : history) {
            if (op.f().equals("write")) {
                attempted.add(op.input().asText());
                if (op.outcome() == Outcome.FAIL) {
                    failed.add(op.input().asText());
                } else if (op.isOk()) {
                    acknowledged.put(op.input().asText(), Results.index(op.output()));
                    ackedByIndex.put(Results.index(op.output()), op.input().asText());
                }
            } else if (op.f().equals("watch") && op.isOk()) {
                watches.add(op);
            }
        }
        Map<Long, String> seenAt = new HashMap<>();
        for (Operation watch : watches) {
            checkOne(watch, attempted, failed, acknowledged, ackedByIndex, seenAt, problems);
        }
        checkStreams(watches, problems);
        return CheckResult.of("watch", problems);
    }

    private static void checkOne(Operation watch, Set<String> attempted, Set<String> failed, Map<String, Long> acknowledged,
            TreeMap<Long, String> ackedByIndex, Map<Long, String> seenAt, List<String> problems) {
        long from = watch.input().path("waitIndex").asLong();
        JsonNode event = watch.output();
        if (event.path("cleared").asBoolean(false)) {
            if (from >= watch.etcdIndex() - HISTORY) {
                problems.add("event index cleared for waitIndex " + from + " though the store was at " + watch.etcdIndex()
                        + " (" + watch + ")");
            }
            return;
        }
        long index = event.path("index").asLong();
        String value = event.path("value").asText();
        if (!attempted.contains(value)) {
            problems.add("event with a value never written: " + watch);
        } else if (failed.contains(value)) {
            problems.add("event of a definitely failed write: " + watch);
        }
        Long ackedIndex = acknowledged.get(value);
        if (ackedIndex != null && ackedIndex != index) {
            problems.add("event at " + index + " for " + value + ", which was acknowledged at " + ackedIndex);
        }
        String other = seenAt.putIfAbsent(index, value);
        if (other != null && !other.equals(value)) {
            problems.add("watchers disagree at index " + index + ": " + other + " vs " + value);
        }
        if (index < from) {
            problems.add("watch from " + from + " returned an earlier event " + index + " (" + watch + ")");
            return;
        }
        Map.Entry<Long, String> skipped = ackedByIndex.ceilingEntry(from);
        if (skipped != null && skipped.getKey() < index) {
            problems.add("watch from " + from + " skipped the write of " + skipped.getValue() + " at " + skipped.getKey()
                    + " and returned " + index);
        }
    }

    private static void checkStreams(List<Operation> watches, List<String> problems) {
        Map<Integer, List<Operation>> byProcess = new HashMap<>();
        for (Operation w : watches) {
            if (!w.output().path("cleared").asBoolean(false)) {
                byProcess.computeIfAbsent(w.process(), p -> new ArrayList<>()).add(w);
            }
        }
        for (List<Operation> stream : byProcess.values()) {
            stream.sort(Comparator.comparingLong(Operation::call));
            long last = -1;
            for (Operation w : stream) {
                long index = w.output().path("index").asLong();
                if (index <= last) {
                    problems.add("watcher " + w.process() + " saw index " + index + " after " + last);
                }
                last = index;
            }
        }
    }
}
