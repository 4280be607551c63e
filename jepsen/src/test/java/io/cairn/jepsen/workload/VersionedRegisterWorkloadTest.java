package io.cairn.jepsen.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.Verdict;
import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The versioned register's checker on hand-written histories. The case that matters: an uncertain
 * write whose only observation is the read a compare makes before its invocation (that read is
 * not an operation of the history, so its value travels in the compare's input).
 */
class VersionedRegisterWorkloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "/t/v/0";
    private final VersionedRegisterWorkload workload = new VersionedRegisterWorkload("/t", 100, Duration.ofSeconds(10));
    private long ids;

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private Operation op(String f, JsonNode in, String out, Outcome outcome, long call, long ret) {
        return new Operation(++ids, (int) ids, f, KEY, in, out == null ? null : json(out), outcome, call, ret, -1);
    }

    private Verdict linearizable(List<Operation> history) {
        CheckResult result = workload.check(history).get(0);
        assertThat(result.checker()).isEqualTo("linearizable");
        return result.verdict();
    }

    private List<Operation> writeThenUncertainWriteThenCad(String cadInput) {
        return List.of(
                op("write", JSON.getNodeFactory().textNode("v1"), "{\"result\":\"ok\",\"index\":5}", Outcome.OK, 0, 1),
                op("write", JSON.getNodeFactory().textNode("v2"), null, Outcome.INFO, 2, Long.MAX_VALUE),
                op("cad", json(cadInput), "{\"result\":\"ok\",\"index\":8}", Outcome.OK, 10, 11),
                op("read", null, "null", Outcome.OK, 12, 13));
    }

    @Test
    void compareOnTheIndexOfAnUncertainWriteSeenOnlyByItsPreparingReadIsLinearizable() {
        assertThat(linearizable(writeThenUncertainWriteThenCad("{\"prevIndex\":7,\"seenValue\":\"v2\"}")))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void compareOnAnIndexNoWriteCanHaveIsNotLinearizable() {
        // v1 is known to sit at index 5 and the uncertain v2 was never seen: nothing held index 7.
        assertThat(linearizable(writeThenUncertainWriteThenCad("{\"prevIndex\":7}"))).isEqualTo(Verdict.INVALID);
    }

    @Test
    void aWriteSeenAtTwoIndexesIsNotLinearizable() {
        List<Operation> history = List.of(
                op("write", JSON.getNodeFactory().textNode("v1"), null, Outcome.INFO, 0, Long.MAX_VALUE),
                op("cas-idx", json("{\"value\":\"v3\",\"prevIndex\":7,\"seenValue\":\"v1\"}"),
                        "{\"result\":\"compare-failed\"}", Outcome.OK, 10, 11),
                op("read", null, "{\"value\":\"v1\",\"index\":9}", Outcome.OK, 12, 13));
        CheckResult oneIndex = workload.check(history).get(1);
        assertThat(oneIndex.checker()).isEqualTo("one-index-per-write");
        assertThat(oneIndex.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(oneIndex.problems()).singleElement().asString().contains("v1", "7", "9");
    }

    @Test
    void deletesAndCreatesDoNotCountAsObservationsOfAValue() {
        List<Operation> history = List.of(
                op("create", JSON.getNodeFactory().textNode("v1"), "{\"result\":\"ok\",\"index\":5}", Outcome.OK, 0, 1),
                op("delete", json("{}"), "{\"result\":\"ok\",\"index\":6}", Outcome.OK, 2, 3),
                op("create", JSON.getNodeFactory().textNode("v2"), "{\"result\":\"ok\",\"index\":7}", Outcome.OK, 4, 5),
                op("cad", json("{\"prevIndex\":7,\"seenValue\":\"v2\"}"), "{\"result\":\"ok\",\"index\":8}", Outcome.OK, 6, 7),
                op("read", null, "null", Outcome.OK, 8, 9));
        assertThat(workload.check(history)).allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.VALID));
    }
}
