package io.cairn.jepsen.checker;

import static io.cairn.jepsen.checker.Ops.cas;
import static io.cairn.jepsen.checker.Ops.read;
import static io.cairn.jepsen.checker.Ops.write;
import static io.cairn.jepsen.checker.Ops.writeInfo;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(10), 2);

    private Verdict check(List<Operation> ops) {
        return checker.check("cas-register", ops, CasRegisterModel::new).verdict();
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        assertThat(check(List.of(
                read(1, "k", null, 0, 1),
                write(1, "k", "1", 2, 3),
                cas(2, "k", "1", "2", "ok", 4, 5),
                cas(1, "k", "1", "3", "compare-failed", 6, 7),
                read(2, "k", "2", 8, 9)))).isEqualTo(Verdict.VALID);
    }

    @Test
    void concurrentReadMaySeeEitherSide() {
        assertThat(check(List.of(write(1, "k", "1", 0, 10), read(2, "k", null, 1, 2), read(3, "k", "1", 3, 4))))
                .isEqualTo(Verdict.VALID);
        // ...but once a read saw the new value, a later read cannot see the old one.
        assertThat(check(List.of(write(1, "k", "1", 0, 10), read(2, "k", "1", 1, 2), read(3, "k", null, 3, 4))))
                .isEqualTo(Verdict.INVALID);
    }

    @Test
    void staleReadAfterAcknowledgedWriteIsCaught() {
        assertThat(check(List.of(write(1, "k", "1", 0, 1), read(2, "k", null, 2, 3)))).isEqualTo(Verdict.INVALID);
    }

    @Test
    void twoCasFromTheSameValueCannotBothWin() {
        assertThat(check(List.of(
                write(1, "k", "0", 0, 1),
                cas(1, "k", "0", "1", "ok", 2, 10),
                cas(2, "k", "0", "2", "ok", 3, 11)))).isEqualTo(Verdict.INVALID);
    }

    @Test
    void uncertainWriteMayHappenLateOrNever() {
        assertThat(check(List.of(writeInfo(1, "k", "1", 0), read(2, "k", null, 5, 6), read(2, "k", "1", 7, 8))))
                .isEqualTo(Verdict.VALID);
        assertThat(check(List.of(writeInfo(1, "k", "1", 0), read(2, "k", null, 5, 6)))).isEqualTo(Verdict.VALID);
        // It happens at most once: after it is seen and overwritten, it cannot come back.
        assertThat(check(List.of(writeInfo(1, "k", "1", 0), read(2, "k", "1", 5, 6), write(2, "k", "2", 7, 8),
                read(2, "k", "1", 9, 10)))).isEqualTo(Verdict.INVALID);
    }

    @Test
    void failedWritesDidNotHappen() {
        Operation failed = Ops.op(1, "write", "k", Ops.text("1"), null, Outcome.FAIL, 0, 1);
        assertThat(check(List.of(failed, read(2, "k", "1", 2, 3)))).isEqualTo(Verdict.INVALID);
        assertThat(check(List.of(failed, read(2, "k", null, 2, 3)))).isEqualTo(Verdict.VALID);
    }

    @Test
    void keysAreIndependent() {
        assertThat(check(List.of(write(1, "a", "1", 0, 1), write(2, "b", "2", 0, 1), read(3, "a", "1", 2, 3),
                read(3, "b", "2", 4, 5)))).isEqualTo(Verdict.VALID);
    }

    @Test
    void exhaustedBudgetIsUnknownNeverValid() {
        // Many overlapping writes and reads of one key: a large search space.
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ops.add(write(i, "k", String.valueOf(i % 5), i, 10_000 + i));
        }
        ops.add(read(999, "k", "nope", 20_000, 20_001));
        CheckResult result = new LinearizabilityChecker(Duration.ZERO, 1).check("r", ops, CasRegisterModel::new);
        assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    /** A sequential reference run is linearizable, with any interleaving of its timestamps. */
    @Property(tries = 200)
    void referenceRunsAreLinearizableAndMutantsAreNot(@ForAll("seeds") long seed, @ForAll @IntRange(min = 5, max = 60) int length) {
        List<Operation> ops = ReferenceRun.casRegister(new Random(seed), length);
        assertThat(check(ops)).isEqualTo(Verdict.VALID);

        List<Operation> shuffled = new ArrayList<>(ops);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(check(shuffled)).as("order of the history list must not matter").isEqualTo(Verdict.VALID);

        List<Operation> mutant = ReferenceRun.corruptOneRead(ops, new Random(seed));
        if (mutant != null) {
            assertThat(check(mutant)).isEqualTo(Verdict.INVALID);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }
}
