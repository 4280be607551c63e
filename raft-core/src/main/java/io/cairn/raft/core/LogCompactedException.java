package io.cairn.raft.core;

/** The requested index is covered by a snapshot and no longer in the log. */
public class LogCompactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogCompactedException(long index, long firstIndex) {
        super("index " + index + " is compacted (first index " + firstIndex + ")");
    }
}
