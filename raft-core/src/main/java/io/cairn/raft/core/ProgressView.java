package io.cairn.raft.core;

/**
 * A leader's read-only view of one member's replication progress, for learner promotion and
 * statistics.
 *
 * @param match the highest index known to be stored on the member
 * @param next the next index the leader will send
 * @param state how the leader is currently replicating to it
 * @param recentActive whether the member was heard from within the last election timeout (it may
 *     also be true for one heard from up to two election timeouts ago: the leader checks activity
 *     in windows of one election timeout, and this covers the current and the previous one)
 */
public record ProgressView(long match, long next, State state, boolean recentActive) {
    /** Replication modes of a follower. */
    public enum State {
        /** Sending one append at a time until the follower's log position is found. */
        PROBE,
        /** Streaming appends optimistically, bounded by the inflight window. */
        REPLICATE,
        /** A snapshot is being sent; appends wait until it is installed. */
        SNAPSHOT
    }
}
