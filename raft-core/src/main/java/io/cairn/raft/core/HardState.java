package io.cairn.raft.core;

/**
 * The state Raft must persist before answering any message that depends on it.
 *
 * @param term the current term
 * @param votedFor the node voted for in {@code term}, or {@link #NO_VOTE}
 * @param commit the highest index known to be committed
 */
public record HardState(long term, long votedFor, long commit) {
    /** Node ids are non-zero; zero means "nobody". */
    public static final long NO_VOTE = 0;
    /** The state of a node that has never run. */
    public static final HardState EMPTY = new HardState(0, NO_VOTE, 0);

    public HardState {
        if (term < 0 || commit < 0) {
            throw new IllegalArgumentException("negative term or commit");
        }
    }
}
