package io.cairn.jepsen.checker;

import static io.cairn.jepsen.checker.Ops.json;
import static io.cairn.jepsen.checker.Ops.op;
import static io.cairn.jepsen.checker.Ops.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchCheckerTest {

    private static Operation write(String value, long index, long t) {
        return op(1, "write", "/w/0", text(value), json("{\"result\":\"ok\",\"index\":" + index + "}"), Outcome.OK, t, t + 1);
    }

    private static Operation watch(int process, long from, String value, long index, long t) {
        return op(process, "watch", "/w", json("{\"waitIndex\":" + from + "}"),
                json("{\"key\":\"/w/0\",\"value\":\"" + value + "\",\"index\":" + index + ",\"action\":\"set\"}"),
                Outcome.OK, t, t + 1);
    }

    @Test
    void completeOrderedStreamsAreValid() {
        assertThat(new WatchChecker().check(List.of(write("a", 5, 0), write("b", 6, 2), watch(7, 5, "a", 5, 3),
                watch(7, 6, "b", 6, 4), watch(8, 1, "a", 5, 5))).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void skippedEventsAreCaught() {
        assertThat(new WatchChecker().check(List.of(write("a", 5, 0), write("b", 6, 2), watch(7, 5, "b", 6, 3))).problems())
                .anyMatch(p -> p.contains("skipped the write of a at 5"));
    }

    @Test
    void eventsFromBeforeTheWaitIndexAreCaught() {
        assertThat(new WatchChecker().check(List.of(write("a", 5, 0), watch(7, 6, "a", 5, 3))).problems())
                .anyMatch(p -> p.contains("returned an earlier event"));
    }

    @Test
    void eventsThatWereNeverCommittedAreCaught() {
        Operation failed = op(1, "write", "/w/0", text("x"), null, Outcome.FAIL, 0, 1);
        assertThat(new WatchChecker().check(List.of(failed, watch(7, 1, "x", 5, 3))).problems())
                .anyMatch(p -> p.contains("definitely failed write"));
        assertThat(new WatchChecker().check(List.of(watch(7, 1, "ghost", 5, 3))).problems())
                .anyMatch(p -> p.contains("never written"));
    }

    @Test
    void watchersMustAgreeAndNeverRepeat() {
        Operation info = op(1, "write", "/w/0", text("b"), null, Outcome.INFO, 0, 0);
        Operation info2 = op(2, "write", "/w/0", text("c"), null, Outcome.INFO, 0, 0);
        assertThat(new WatchChecker().check(List.of(info, info2, watch(7, 1, "b", 5, 3), watch(8, 1, "c", 5, 4))).problems())
                .anyMatch(p -> p.contains("disagree at index 5"));
        assertThat(new WatchChecker().check(List.of(write("a", 5, 0), watch(7, 5, "a", 5, 3), watch(7, 5, "a", 5, 4)))
                .problems()).anyMatch(p -> p.contains("saw index 5 after 5"));
    }

    @Test
    void clearedIsOnlyExcusedForOldIndexes() {
        Operation recent = new Operation(99, 7, "watch", "/w", json("{\"waitIndex\":1500}"), json("{\"cleared\":true}"),
                Outcome.OK, 0, 1, 2000);
        Operation old = new Operation(98, 7, "watch", "/w", json("{\"waitIndex\":500}"), json("{\"cleared\":true}"),
                Outcome.OK, 0, 1, 2000);
        assertThat(new WatchChecker().check(List.of(recent)).verdict()).isEqualTo(Verdict.INVALID);
        assertThat(new WatchChecker().check(List.of(old)).verdict()).isEqualTo(Verdict.VALID);
    }
}
