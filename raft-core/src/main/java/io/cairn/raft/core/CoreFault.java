package io.cairn.raft.core;

/**
 * Deliberate protocol bugs, for negative-control tests only: the simulator must detect a core
 * running with any of these. Never enable one outside a test.
 */
public enum CoreFault {
    /** Grant votes without checking that the candidate's log is at least as up to date. */
    GRANT_VOTE_WITHOUT_LOG_CHECK,
    /** Commit an entry from an earlier term as soon as a majority stores it. */
    COMMIT_PREVIOUS_TERM_BY_COUNT
}
