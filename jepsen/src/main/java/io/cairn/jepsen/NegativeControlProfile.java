package io.cairn.jepsen;

import io.cairn.jepsen.Catalog.ControlRun;
import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.Verdict;
import io.cairn.jepsen.runner.RunResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/jepsen --negative-controls}: runs each deliberately broken server once with the test
 * meant to catch it and succeeds only if every one is caught, proving the harness can fail. A
 * control counts as caught when a safety checker (not merely "recovery" or "traffic") reports
 * INVALID; one line per control says CAUGHT or MISSED, and a last line sums up.
 */
final class NegativeControlProfile {
    /** Checkers that judge the run rather than the history's safety. */
    static final Set<String> NOT_SAFETY = Set.of("recovery", "traffic");

    /** Runs one test of {@code run}'s pair against a server with {@code run}'s control switched on. */
    interface Runner {
        RunResult run(ControlRun run, long seed) throws Exception;
    }

    private final Runner runner;
    private final PrintStream out;

    NegativeControlProfile(Runner runner, PrintStream out) {
        this.runner = runner;
        this.out = out;
    }

    /** The server flag that switches {@code control} on. */
    static String serverFlag(String control) {
        return "--unsafe-negative-control=" + control;
    }

    /** The safety checkers that reported INVALID (empty: the control was missed). */
    static List<String> catchers(RunResult result) {
        List<String> names = new ArrayList<>();
        for (CheckResult c : result.results()) {
            if (c.verdict() == Verdict.INVALID && !NOT_SAFETY.contains(c.checker())) {
                names.add(c.checker());
            }
        }
        return names;
    }

    /** Runs every control once (seeds from {@code firstSeed}); true if all were caught. */
    boolean runAll(List<ControlRun> controls, long firstSeed) {
        int caught = 0;
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < controls.size(); i++) {
            ControlRun c = controls.get(i);
            long seed = firstSeed + i;
            String what = c.control() + ": " + c.pair() + " " + c.seconds() + " s (seed " + seed + ")";
            String line;
            try {
                RunResult r = runner.run(c, seed);
                List<String> by = catchers(r);
                String report = "; report " + r.dir().resolve("report.html");
                if (by.isEmpty()) {
                    line = "MISSED " + what + ": " + r.verdict() + verdictDetail(r) + report;
                    missed.add(c.control());
                } else {
                    line = "CAUGHT " + what + ": INVALID by " + String.join(", ", by) + report;
                    caught++;
                }
            } catch (Exception e) {
                line = "MISSED " + what + ": the run failed: " + e;
                missed.add(c.control());
            }
            out.println(line);
            out.flush();
        }
        out.println("negative controls: " + caught + " of " + controls.size() + " caught"
                + (missed.isEmpty() ? "" : "; MISSED " + String.join(", ", missed)));
        return missed.isEmpty();
    }

    private static String verdictDetail(RunResult r) {
        List<String> notValid = r.results().stream().filter(c -> c.verdict() != Verdict.VALID).map(CheckResult::toString).toList();
        return notValid.isEmpty() ? "" : " " + notValid;
    }
}
