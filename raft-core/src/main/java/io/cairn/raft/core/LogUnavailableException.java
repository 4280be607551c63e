package io.cairn.raft.core;

/** The requested index is past the end of the log. */
public class LogUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogUnavailableException(long index, long lastIndex) {
        super("index " + index + " is past the last index " + lastIndex);
    }
}
