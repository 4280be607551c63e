package io.cairn.raft.core;

/** Every message the protocol exchanges. Field use per type is documented on {@link Message}. */
public enum MessageType {
    /** Leader to follower: entries after (logTerm, index), and the leader's commit. */
    APPEND,
    /** Follower to leader: index = last matching index, or reject with hints. */
    APPEND_RESPONSE,
    /** Leader to follower: commit (capped to the follower's match); context carries a read round. */
    HEARTBEAT,
    HEARTBEAT_RESPONSE,
    /** Candidate to voter: index/logTerm describe the candidate's last entry. */
    VOTE,
    VOTE_RESPONSE,
    /** Like VOTE but for term+1 and without the sender raising its own term. */
    PRE_VOTE,
    PRE_VOTE_RESPONSE,
    /** Leader to follower: install the snapshot described by {@code snapshot}; data travels beside it. */
    SNAPSHOT,
    /** Local only (runtime to core): whether sending a snapshot to {@code from} failed (reject). */
    SNAPSHOT_STATUS,
    /** Local only: the runtime reports {@code from} as unreachable, so replication falls back to probing. */
    UNREACHABLE,
    /** Follower to leader: a forwarded proposal (entries, positions unassigned). */
    PROPOSE,
    /** Follower to leader: a ReadIndex request, context = request id. */
    READ_INDEX,
    /** Leader to follower: index = the read index for the request in context. */
    READ_INDEX_RESPONSE,
    /** Leader to the transfer target: campaign now, ignoring the election timer and leases. */
    TIMEOUT_NOW,
    /** Follower to leader: a forwarded leadership-transfer request; context = the transferee's id. */
    TRANSFER_LEADER
}
