package io.cairn.raft.core;

/** What a log entry carries. */
public enum EntryType {
    /** A command for the state machine (an empty payload is the leader's no-op). */
    NORMAL,
    /** An encoded {@link ConfigChange}. */
    CONFIG_CHANGE
}
