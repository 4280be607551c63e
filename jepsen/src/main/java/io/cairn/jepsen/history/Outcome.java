package io.cairn.jepsen.history;

/** How an operation ended, Jepsen's way. */
public enum Outcome {
    /** It happened, with the recorded result (including definite refusals such as 412). */
    OK,
    /** It definitely did not happen. */
    FAIL,
    /** Unknown: it may have taken effect, at any point after its call, or never. */
    INFO
}
