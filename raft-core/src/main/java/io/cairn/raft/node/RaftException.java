package io.cairn.raft.node;

/**
 * Why a {@link RaftNode} request (proposal, read, membership change, transfer) did not succeed.
 * Futures returned by the node complete exceptionally with this exception.
 */
public final class RaftException extends RuntimeException {

    /** The kinds of failure a caller may want to react to differently. */
    public enum Reason {
        /** Too many requests are pending; retry later (back-pressure). */
        OVERLOADED,
        /** The request did not complete within {@link io.cairn.raft.RaftConfig#requestTimeout()}. */
        TIMEOUT,
        /** The node is shutting down or has stopped. */
        CLOSED,
        /** No leader is known right now (an election is under way); retry. */
        NO_LEADER,
        /** A leadership transfer is in progress; retry. */
        TRANSFERRING,
        /** The leader's uncommitted log is over its size bound; retry later. */
        TOO_MANY_UNCOMMITTED,
        /** The membership change is invalid or another one is still pending. */
        CONFIG_CHANGE_REJECTED,
        /** The entry was overwritten by another leader's log: it was never committed. */
        LOST,
        /** The entry may or may not have been applied (an installed snapshot covered its index). */
        OUTCOME_UNKNOWN,
        /** The node hit an unrecoverable error (for example a failed disk write) and stopped. */
        FAILED
    }

    private final Reason reason;

    public RaftException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RaftException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the request failed. */
    public Reason reason() {
        return reason;
    }

    /** Whether retrying the same request later may succeed. */
    public boolean isRetryable() {
        return switch (reason) {
            case OVERLOADED, TIMEOUT, NO_LEADER, TRANSFERRING, TOO_MANY_UNCOMMITTED, LOST -> true;
            default -> false;
        };
    }
}
