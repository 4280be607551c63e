package io.cairn.jepsen.client;

/** A request ended without a usable answer. */
public final class NoAnswerException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RequestOutcome outcome;

    public NoAnswerException(RequestOutcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    public RequestOutcome outcome() {
        return outcome;
    }
}
