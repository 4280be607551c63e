package io.cairn.raft.sim;

/** A broken Raft guarantee, found by the simulator; ends the run. */
final class InvariantViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which guarantee broke. */
    enum Kind {
        ELECTION_SAFETY,
        LOG_MATCHING,
        LEADER_COMPLETENESS,
        STATE_MACHINE_SAFETY,
        COMMIT_MONOTONICITY,
        /** An entry applied twice, out of order, or before it was durable locally. */
        APPLY_ORDER,
        SNAPSHOT,
        STALE_READ,
        ACKNOWLEDGED_WRITE_LOST,
        LIVENESS,
        STORAGE_CONTRACT,
        /** A core sent a message in another node's name (a real transport refuses it). */
        FORGED_SENDER,
        /** The core threw. */
        CORE_EXCEPTION
    }

    private final Kind kind;

    InvariantViolation(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    InvariantViolation(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
