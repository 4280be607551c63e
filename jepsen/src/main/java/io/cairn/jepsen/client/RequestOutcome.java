package io.cairn.jepsen.client;

/** Why a request has no answer, which decides whether it may have taken effect. */
public enum RequestOutcome {
    /** Nothing was sent (connection refused): definitely not applied. */
    NOT_SENT,
    /** Sent, but no complete answer (timeout, reset, 5xx): it may have been applied. */
    UNCERTAIN
}
