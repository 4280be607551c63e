package io.cairn.jepsen.checker;

import io.cairn.jepsen.history.Operation;

/**
 * A sequential specification of one object (one key), for the linearizability search.
 * States must implement {@code equals} and {@code hashCode}: the search memoises on them.
 *
 * @param <S> the state type
 */
public interface Model<S> {

    /** The state before any operation. */
    S init();

    /**
     * The state after {@code op} is applied in {@code state}, or null when the result {@code op}
     * recorded is impossible there. An uncertain (info) operation has no recorded result: return
     * the state after its effect when its precondition holds in {@code state}, else {@code state}.
     */
    S step(S state, Operation op);

    /** Whether {@code op} never changes state (an uncertain read then carries no information). */
    boolean isReadOnly(Operation op);
}
