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

/**
 * C3 for in-order keys used as a queue (S1). Posts carry unique values; listings return the
 * queue's children. Checks: listings are sorted by key and createdIndex; no value twice; no value
 * never posted or definitely failed; an ok post appears (at the index it was acknowledged with)
 * in every listing that began after it completed; and realtime order: a post that completed
 * before another began has the smaller createdIndex.
 *
 * <p>Operations: {@code post} with input the value and output {"index"}; {@code list} with
 * output an array of {"key","value","createdIndex"}.
 */
public final class QueueChecker {

    public CheckResult check(List<Operation> history) {
        Problems problems = new Problems();
        Map<String, Operation> okPosts = new HashMap<>();
        Set<String> attempted = new HashSet<>();
        Set<String> failed = new HashSet<>();
        List<Operation> lists = new ArrayList<>();
        for (Operation op : history) {
            if (op.f().equals("post")) {
                attempted.add(op.input().asText());
                if (op.outcome() == Outcome.FAIL) {
                    failed.add(op.input().asText());
                } else if (op.isOk()) {
                    okPosts.put(op.input().asText(), op);
                }
            } else if (op.f().equals("list") && op.isOk()) {
                lists.add(op);
            }
        }
        for (Operation list : lists) {
            checkListing(list, okPosts, attempted, failed, problems);
        }
        realtimeOrder(new ArrayList<>(okPosts.values()), problems);
        return CheckResult.of("queue", problems.toList());
    }

    private static void checkListing(Operation list, Map<String, Operation> okPosts, Set<String> attempted,
            Set<String> failed, Problems problems) {
        Set<String> seen = new HashSet<>();
        String previousKey = null;
        long previousIndex = 0;
        for (JsonNode item : list.output()) {
            String value = item.path("value").asText();
            String key = item.path("key").asText();
            long index = item.path("createdIndex").asLong();
            if (!seen.add(value)) {
                problems.add(() -> "duplicate " + value + " in " + brief(list));
            }
            if (!attempted.contains(value)) {
                problems.add(() -> "garbage " + value + " (never posted) in " + brief(list));
            } else if (failed.contains(value)) {
                problems.add(() -> value + " of a failed post in " + brief(list));
            }
            if (previousKey != null && (key.compareTo(previousKey) <= 0 || index <= previousIndex)) {
                String after = previousKey;
                problems.add(() -> "listing out of order at " + key + " after " + after + " in " + brief(list));
            }
            Operation post = okPosts.get(value);
            if (post != null && Results.index(post.output()) != index) {
                problems.add(() -> value + " acknowledged at index " + Results.index(post.output()) + " but listed at " + index);
            }
            previousKey = key;
            previousIndex = index;
        }
        for (Operation post : okPosts.values()) {
            if (post.precedes(list) && !seen.contains(post.input().asText())) {
                problems.add(() -> "lost acknowledged post " + post.input().asText() + " missing from " + brief(list));
            }
        }
    }

    /** A listing without its (possibly huge) output. */
    private static String brief(Operation list) {
        return "listing #" + list.id() + " (" + list.output().size() + " items, [" + list.call() + ", " + list.ret() + "])";
    }

    private static void realtimeOrder(List<Operation> posts, Problems problems) {
        List<Operation> byReturn = new ArrayList<>(posts);
        byReturn.sort(Comparator.comparingLong(Operation::ret));
        List<Operation> byCall = new ArrayList<>(posts);
        byCall.sort(Comparator.comparingLong(Operation::call));
        int done = 0;
        long floor = 0;
        Operation floorPost = null;
        for (Operation post : byCall) {
            while (done < byReturn.size() && byReturn.get(done).ret() < post.call()) {
                Operation finished = byReturn.get(done++);
                if (Results.index(finished.output()) > floor) {
                    floor = Results.index(finished.output());
                    floorPost = finished;
                }
            }
            if (floorPost != null && Results.index(post.output()) <= floor) {
                Operation earlier = floorPost;
                long before = floor;
                problems.add(() -> "queue order: " + post + " got index " + Results.index(post.output())
                        + " although " + earlier + " (index " + before + ") completed before it began");
            }
        }
    }
}
