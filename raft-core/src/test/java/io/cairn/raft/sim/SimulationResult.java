package io.cairn.raft.sim;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * How one seed went: passed, or the first violation with the events leading up to it.
 * {@code finalState} describes every node at the end (disk, status), so replays can be compared.
 */
record SimulationResult(long seed, SimOptions options, InvariantViolation violation, String history,
        String finalState, SimStats stats) {

    boolean passed() {
        return violation == null;
    }

    /** A multi-line account of the failure: violation, profile, recent history, and any stack trace. */
    String report() {
        if (passed()) {
            return "seed " + seed + " passed";
        }
        StringBuilder s = new StringBuilder();
        s.append("seed=").append(seed).append(": ").append(violation.getMessage()).append('\n');
        s.append("  profile: ").append(options).append('\n');
        s.append("  last events:\n").append(history);
        if (violation.getCause() != null) {
            StringWriter stack = new StringWriter();
            violation.getCause().printStackTrace(new PrintWriter(stack));
            s.append("  cause: ").append(stack);
        }
        return s.toString();
    }
}
