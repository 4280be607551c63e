package io.cairn.raft.node;

/**
 * Told whenever a node's view of the leader or term changes. Called on the node's event-loop
 * thread: implementations must return quickly and never block.
 */
@FunctionalInterface
public interface LeaderListener {
    /**
     * @param leaderId the new leader, or 0 when none is known
     * @param term the current term
     * @param isLocal whether the leader is this node
     */
    void onLeaderChange(long leaderId, long term, boolean isLocal);
}
