package io.cairn.jepsen.workload;

import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.history.Operation;
import java.net.URI;
import java.util.List;
import java.util.Random;

/** A kind of client traffic, and the checkers that judge its history. */
public interface Workload {

    String name();

    /** The next operation of {@code process}. Called from that process's worker thread. */
    Invocation next(int process, Random random);

    /**
     * Completes an invocation before it is recorded (a watcher learns where to start), or returns
     * null to skip this turn. Whatever it asks the cluster must not change state.
     */
    default Invocation prepare(int process, Invocation op, V2Client client, URI endpoint) {
        return op;
    }

    /** Performs {@code op} for {@code process} against {@code endpoint} and classifies the result. Never retries a write. */
    Completion run(int process, Invocation op, V2Client client, URI endpoint);

    /** Reads to do after healing, so that the final state is in the history. */
    List<Invocation> finalReads();

    /** Judges the history of this workload's operations. */
    List<CheckResult> check(List<Operation> history);
}
