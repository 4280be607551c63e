package io.cairn.raft.core;

/** What became of a proposal handed to the core. */
public enum ProposeResult {
    /** The leader appended it to its log (the entry's index is {@code lastIndex} after the call). */
    APPENDED,
    /** This node is a follower and sent the proposal to the leader. */
    FORWARDED,
    /** Dropped: no leader is known. */
    NO_LEADER,
    /** Dropped: a leadership transfer is in progress. */
    TRANSFERRING,
    /** Dropped: the uncommitted tail of the log is over its size bound. */
    TOO_MANY_UNCOMMITTED,
    /** Dropped: a configuration change is already pending, or the change is invalid. */
    CONFIG_CHANGE_REJECTED
}
