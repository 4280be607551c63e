package io.cairn.raft.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Durable data is damaged somewhere a crash cannot explain (a bad record followed by valid ones,
 * or damage in a file that was complete). Recovery stops rather than skip data: the node must
 * not run on a log with a hole. Repair by restoring the member from its peers.
 */
public class CorruptLogException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /** Damage in {@code file} at byte {@code offset}, described by {@code problem}. */
    public CorruptLogException(Path file, long offset, String problem) {
        super(file + " is corrupt at offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset of the damage in {@link #file()}. */
    public long offset() {
        return offset;
    }
}
