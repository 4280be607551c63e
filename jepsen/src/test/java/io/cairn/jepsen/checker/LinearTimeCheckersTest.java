package io.cairn.jepsen.checker;

import static io.cairn.jepsen.checker.Ops.json;
import static io.cairn.jepsen.checker.Ops.op;
import static io.cairn.jepsen.checker.Ops.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearTimeCheckersTest {

    private static Operation put(int p, String key, long index, long call, long ret) {
        return op(p, "write", key, text("v" + index), json("{\"index\":" + index + "}"), Outcome.OK, call, ret);
    }

    private static Operation quorumRead(int p, long etcdIndex, long call, long ret) {
        return new Operation(call * 1000 + p, p, "read", "k", null, text("x"), Outcome.OK, call, ret, etcdIndex);
    }

    @Test
    void indexesRiseWithRealTimeAndNeverRepeat() {
        assertThat(new IndexChecker().check(List.of(put(1, "a", 5, 0, 1), put(2, "b", 6, 2, 3), put(3, "c", 9, 2, 8),
                quorumRead(4, 9, 9, 10))).verdict()).isEqualTo(Verdict.VALID);

        assertThat(new IndexChecker().check(List.of(put(1, "a", 5, 0, 1), put(2, "b", 5, 2, 3))).problems())
                .anyMatch(p -> p.contains("acknowledged twice"));
        assertThat(new IndexChecker().check(List.of(put(1, "a", 7, 0, 1), put(2, "b", 6, 2, 3))).problems())
                .anyMatch(p -> p.startsWith("index order"));
        assertThat(new IndexChecker().check(List.of(put(1, "a", 7, 0, 1), quorumRead(2, 6, 2, 3))).problems())
                .anyMatch(p -> p.startsWith("stale index"));
        assertThat(new IndexChecker().check(List.of(quorumRead(2, 8, 0, 1), quorumRead(2, 6, 2, 3))).problems())
                .anyMatch(p -> p.contains("went backwards"));
    }

    private static Operation append(int p, String element, Outcome outcome, long call, long ret) {
        return op(p, "append", "l", text(element), null, outcome, call, ret);
    }

    private static Operation readList(int p, String list, long call, long ret) {
        return op(p, "read", "l", null, json(list), Outcome.OK, call, ret);
    }

    @Test
    void appendsAreNeitherLostDuplicatedNorInvented() {
        List<Operation> good = List.of(append(1, "a", Outcome.OK, 0, 1), append(2, "b", Outcome.INFO, 2, 0),
                readList(3, "[\"a\"]", 3, 4), append(1, "c", Outcome.OK, 5, 6), readList(3, "[\"a\",\"b\",\"c\"]", 7, 8));
        assertThat(new AppendChecker().check(good).verdict()).isEqualTo(Verdict.VALID);

        assertThat(new AppendChecker().check(List.of(append(1, "a", Outcome.OK, 0, 1), readList(2, "[]", 2, 3))).problems())
                .anyMatch(p -> p.contains("misses a"));
        assertThat(new AppendChecker().check(List.of(append(1, "a", Outcome.INFO, 0, 0), readList(2, "[\"a\",\"a\"]", 2, 3)))
                .problems()).anyMatch(p -> p.contains("duplicate a"));
        assertThat(new AppendChecker().check(List.of(readList(2, "[\"z\"]", 2, 3))).problems())
                .anyMatch(p -> p.contains("garbage z"));
        assertThat(new AppendChecker().check(List.of(append(1, "a", Outcome.FAIL, 0, 1), readList(2, "[\"a\"]", 2, 3)))
                .problems()).anyMatch(p -> p.contains("failed append"));
        assertThat(new AppendChecker().check(List.of(append(1, "a", Outcome.INFO, 0, 0), append(2, "b", Outcome.INFO, 0, 0),
                readList(3, "[\"a\"]", 1, 2), readList(3, "[\"b\"]", 3, 4))).problems())
                .anyMatch(p -> p.contains("incompatible order"));
    }

    private static Operation post(int p, String value, long index, long call, long ret) {
        return op(p, "post", "q", text(value), json("{\"index\":" + index + "}"), Outcome.OK, call, ret);
    }

    private static Operation list(String items, long call, long ret) {
        return op(9, "list", "q", null, json(items), Outcome.OK, call, ret);
    }

    private static String item(String value, long index) {
        return "{\"key\":\"/q/" + String.format("%020d", index) + "\",\"value\":\"" + value + "\",\"createdIndex\":" + index + "}";
    }

    @Test
    void queueKeepsEveryPostOnceInOrder() {
        assertThat(new QueueChecker().check(List.of(post(1, "a", 5, 0, 1), post(2, "b", 7, 2, 3),
                list("[" + item("a", 5) + "," + item("b", 7) + "]", 4, 5))).verdict()).isEqualTo(Verdict.VALID);

        assertThat(new QueueChecker().check(List.of(post(1, "a", 5, 0, 1), list("[]", 2, 3))).problems())
                .anyMatch(p -> p.startsWith("lost acknowledged post a"));
        assertThat(new QueueChecker().check(List.of(post(1, "a", 5, 0, 1), list("[" + item("a", 5) + "," + item("a", 6) + "]", 2, 3)))
                .problems()).anyMatch(p -> p.startsWith("duplicate a"));
        assertThat(new QueueChecker().check(List.of(post(1, "a", 7, 0, 1), post(2, "b", 5, 2, 3))).problems())
                .anyMatch(p -> p.startsWith("queue order"));
        assertThat(new QueueChecker().check(List.of(post(1, "a", 5, 0, 1), list("[" + item("a", 6) + "]", 2, 3))).problems())
                .anyMatch(p -> p.contains("listed at 6"));
    }

    @Test
    void aQueueWhereEveryPostAppearsTwiceIsReportedBrieflyAndCapped() {
        // What apply-twice produces: every value at two consecutive indexes, in many listings.
        List<Operation> history = new java.util.ArrayList<>();
        StringBuilder items = new StringBuilder("[");
        for (int i = 1; i <= 300; i++) {
            history.add(post(1, "v" + i, 2L * i - 1, 2L * i, 2L * i + 1));
            items.append(i == 1 ? "" : ",").append(item("v" + i, 2L * i - 1)).append(',').append(item("v" + i, 2L * i));
        }
        String listing = items.append(']').toString();
        for (int l = 0; l < 50; l++) {
            history.add(list(listing, 1000 + 2L * l, 1001 + 2L * l));
        }
        CheckResult result = new QueueChecker().check(history);

        assertThat(result.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(result.problems()).hasSize(Problems.DEFAULT_LIMIT + 1);
        assertThat(result.problems().get(0)).matches("duplicate v1 in listing #\\d+ \\(600 items, \\[1000, 1001\\]\\)");
        // 50 listings x 300 duplicates (and as many index mismatches), nearly all only counted.
        assertThat(result.problems().get(Problems.DEFAULT_LIMIT)).isEqualTo("... and " + (50 * 600 - Problems.DEFAULT_LIMIT) + " more problems");
    }
}
