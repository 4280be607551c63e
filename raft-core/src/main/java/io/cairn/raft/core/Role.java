package io.cairn.raft.core;

/** A node's role in its current term. */
public enum Role {
    FOLLOWER,
    /** Running a PreVote round: asking whether it could win, without raising its term. */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
