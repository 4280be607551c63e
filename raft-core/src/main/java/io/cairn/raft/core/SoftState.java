package io.cairn.raft.core;

/**
 * Volatile state worth reporting to the runtime when it changes (not persisted).
 *
 * @param leaderId the known leader, or 0
 * @param role this node's role
 * @param term the current term
 */
public record SoftState(long leaderId, Role role, long term) {
}
