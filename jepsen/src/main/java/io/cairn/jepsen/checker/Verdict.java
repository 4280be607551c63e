package io.cairn.jepsen.checker;

/** A checker's answer. A checker that ran out of time says UNKNOWN, never VALID. */
public enum Verdict {
    VALID,
    INVALID,
    UNKNOWN;

    /** The combination of two verdicts: any invalid wins, then any unknown. */
    public Verdict and(Verdict other) {
        if (this == INVALID || other == INVALID) {
            return INVALID;
        }
        if (this == UNKNOWN || other == UNKNOWN) {
            return UNKNOWN;
        }
        return VALID;
    }
}
