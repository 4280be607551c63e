package io.cairn.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.jepsen.Catalog.ControlRun;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.Verdict;
import io.cairn.jepsen.runner.RunResult;
import io.cairn.jepsen.runner.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NegativeControlProfileTest {
    private static final List<ControlRun> CONTROLS = List.of(
            new ControlRun("stale-quorum-reads", "cas-register", "partition-leader", 15),
            new ControlRun("apply-twice", "queue", "kill-one", 10));

    private static RunResult result(CheckResult... results) {
        Verdict v = java.util.Arrays.stream(results).map(CheckResult::verdict).reduce(Verdict.VALID, Verdict::and);
        return new RunResult("r", 1, v, List.of(results), Path.of("runs/r"), new RunStats(10, 0, 0, 1, 5));
    }

    private static CheckResult invalid(String checker) {
        return new CheckResult(checker, Verdict.INVALID, List.of("witness"));
    }

    private String output;

    private boolean run(Map<String, RunResult> byControl) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NegativeControlProfile profile = new NegativeControlProfile((c, seed) -> {
            RunResult r = byControl.get(c.control());
            if (r == null) {
                throw new IllegalStateException("the cluster did not come up");
            }
            return r;
        }, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        boolean ok = profile.runAll(CONTROLS, 100);
        output = bytes.toString(StandardCharsets.UTF_8);
        return ok;
    }

    @Test
    void succeedsOnlyWhenEveryControlIsCaughtByASafetyChecker() {
        assertThat(run(Map.of(
                "stale-quorum-reads", result(invalid("linearizable"), invalid("index"), CheckResult.valid("recovery")),
                "apply-twice", result(invalid("queue"))))).isTrue();
        assertThat(output.lines()).containsExactly(
                "CAUGHT stale-quorum-reads: cas-register+partition-leader 15 s (seed 100): INVALID by linearizable, index; report runs/r/report.html",
                "CAUGHT apply-twice: queue+kill-one 10 s (seed 101): INVALID by queue; report runs/r/report.html",
                "negative controls: 2 of 2 caught");
    }

    @Test
    void aValidRunAFailedRecoveryOrACrashedRunIsAMiss() {
        assertThat(run(Map.of("stale-quorum-reads", result(CheckResult.valid("linearizable"), invalid("recovery"))))).isFalse();
        assertThat(output.lines()).containsExactly(
                "MISSED stale-quorum-reads: cas-register+partition-leader 15 s (seed 100): INVALID [recovery: INVALID [witness]]; report runs/r/report.html",
                "MISSED apply-twice: queue+kill-one 10 s (seed 101): the run failed: java.lang.IllegalStateException: the cluster did not come up",
                "negative controls: 0 of 2 caught; MISSED stale-quorum-reads, apply-twice");

        assertThat(run(Map.of("stale-quorum-reads", result(CheckResult.valid("linearizable")),
                "apply-twice", result(invalid("queue"))))).isFalse();
        assertThat(output.lines()).first().asString().startsWith("MISSED stale-quorum-reads: cas-register+partition-leader 15 s (seed 100): VALID;");
    }

    @Test
    void everyControlOfTheProfileHasAKnownWorkloadAndNemesisAndTheProfileFitsItsBudget() {
        int seconds = 0;
        for (ControlRun c : Catalog.negativeControls()) {
            assertThat(Catalog.WORKLOADS).contains(c.workload());
            assertThat(Catalog.NEMESES).contains(c.nemesis());
            seconds += c.seconds();
        }
        assertThat(Catalog.negativeControls()).extracting(ControlRun::control)
                .containsExactly("stale-quorum-reads", "ack-before-persist", "apply-twice");
        assertThat(seconds).isLessThanOrEqualTo(60);
        assertThat(NegativeControlProfile.serverFlag("apply-twice")).isEqualTo("--unsafe-negative-control=apply-twice");
    }
}
