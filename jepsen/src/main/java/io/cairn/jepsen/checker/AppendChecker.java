package io.cairn.jepsen.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C3 for the single-key list-append workload (A1). Per key, in linear time after sorting:
 * incompatible orders (every read must be a prefix of the longest), duplicates, garbage
 * (elements never attempted or definitely failed), and stale reads: an append that completed
 * before a read began must be in it (the final read thereby finds lost appends), and a read must
 * extend every read that completed before it began.
 *
 * <p>Operations: {@code append} with input the element; {@code read} with output the list (a
 * JSON array of strings).
 */
public final class AppendChecker {

    public CheckResult check(List<Operation> history) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        Problems problems = new Problems();
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            checkKey(e.getKey(), e.getValue(), problems);
        }
        return CheckResult.of("list-append", problems.toList());
    }

    private static List<String> elements(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void checkKey(String key, List<Operation> ops, Problems problems) {
        Set<String> attempted = new HashSet<>();
        Set<String> failed = new HashSet<>();
        List<Operation> okAppends = new ArrayList<>();
        List<Operation> reads = new ArrayList<>();
        for (Operation op : ops) {
            if (op.f().equals("append")) {
                attempted.add(op.input().asText());
                if (op.outcome() == Outcome.FAIL) {
                    failed.add(op.input().asText());
                } else if (op.isOk()) {
                    okAppends.add(op);
                }
            } else if (op.f().equals("read") && op.isOk()) {
                reads.add(op);
            }
        }
        List<String> longest = List.of();
        for (Operation read : reads) {
            List<String> list = elements(read.output());
            if (list.size() > longest.size()) {
                longest = list;
            }
            Set<String> once = new HashSet<>();
            for (String element : list) {
                if (!once.add(element)) {
                    problems.add(() -> key + ": duplicate " + element + " in " + read);
                }
                if (!attempted.contains(element)) {
                    problems.add(() -> key + ": garbage " + element + " (never appended) in " + read);
                } else if (failed.contains(element)) {
                    problems.add(() -> key + ": element " + element + " of a failed append in " + read);
                }
            }
        }
        List<String> longestRead = longest;
        for (Operation read : reads) {
            List<String> list = elements(read.output());
            if (!longest.subList(0, Math.min(list.size(), longest.size())).equals(list)) {
                problems.add(() -> key + ": incompatible order: " + list + " is not a prefix of " + longestRead);
            }
        }
        staleReads(key, okAppends, reads, problems);
    }

    /** Sweep reads by call time against appends and reads by completion time. */
    private static void staleReads(String key, List<Operation> okAppends, List<Operation> reads, Problems problems) {
        List<Operation> appendsByReturn = new ArrayList<>(okAppends);
        appendsByReturn.sort(Comparator.comparingLong(Operation::ret));
        List<Operation> readsByReturn = new ArrayList<>(reads);
        readsByReturn.sort(Comparator.comparingLong(Operation::ret));
        List<Operation> readsByCall = new ArrayList<>(reads);
        readsByCall.sort(Comparator.comparingLong(Operation::call));

        Set<String> mustContain = new HashSet<>();
        int appendsDone = 0;
        int readsDone = 0;
        int longestDone = 0;
        Operation longestRead = null;
        for (Operation read : readsByCall) {
            while (appendsDone < appendsByReturn.size() && appendsByReturn.get(appendsDone).ret() < read.call()) {
                mustContain.add(appendsByReturn.get(appendsDone++).input().asText());
            }
            while (readsDone < readsByReturn.size() && readsByReturn.get(readsDone).ret() < read.call()) {
                Operation done = readsByReturn.get(readsDone++);
                if (done.output().size() > longestDone) {
                    longestDone = done.output().size();
                    longestRead = done;
                }
            }
            List<String> list = elements(read.output());
            Set<String> seen = new HashSet<>(list);
            for (String element : mustContain) {
                if (!seen.contains(element)) {
                    problems.add(() -> key + ": stale read " + read + " misses " + element + ", acknowledged before it began");
                }
            }
            if (list.size() < longestDone) {
                Operation longer = longestRead;
                problems.add(() -> key + ": stale read " + read + " is shorter than " + longer + ", which completed before it began");
            }
        }
    }
}
