package io.cairn.raft.core;

/**
 * A confirmed linearizable read: once the local state machine has applied {@code index}, the
 * read identified by {@code requestId} may be served from local state.
 */
public record ReadState(long requestId, long index) {
}
