package io.cairn.raft.core;

/**
 * A point-in-time view of a core, for metrics, health checks and tests.
 *
 * @param id this node
 * @param role current role
 * @param term current term
 * @param leaderId known leader or 0
 * @param commitIndex highest committed index
 * @param appliedIndex highest index reported applied
 * @param lastIndex last index in the log (durable or not)
 * @param persistedIndex last index known durable locally
 * @param config the membership in force
 * @param leadTransferee target of an in-progress leadership transfer, or 0
 */
public record Status(
        long id,
        Role role,
        long term,
        long leaderId,
        long commitIndex,
        long appliedIndex,
        long lastIndex,
        long persistedIndex,
        ClusterConfig config,
        long leadTransferee) {
}
