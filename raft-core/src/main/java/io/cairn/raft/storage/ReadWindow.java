package io.cairn.raft.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file read front to back through one reusable buffer. Recovery scans whole segments, and
 * reading each into one array would allocate (and zero) as much heap as the log is long, at
 * start-up, when a member can least afford the collections that follow.
 */
final class ReadWindow {
    private final FileIO.Handle handle;
    private final long fileSize;
    private final int chunk;
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    /** File position of the buffer's first byte. */
    private long start;

    ReadWindow(FileIO.Handle handle, long fileSize, int chunk) {
        this.handle = handle;
        this.fileSize = fileSize;
        this.chunk = chunk;
    }

    /**
     * The buffer, holding the {@code length} bytes at {@code position} (fewer at the end of the
     * file); {@link #offsetOf} gives where they start in it. The buffer's limit is the end of
     * what it holds, and it is only valid until the next call.
     */
    ByteBuffer cover(long position, int length) throws IOException {
        long wanted = Math.min(length, fileSize - position);
        if (position >= start && position + wanted <= start + buffer.limit()) {
            return buffer;
        }
        int capacity = Math.max(chunk, length);
        if (buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocate(capacity);
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), fileSize - position));
        while (buffer.hasRemaining()) {
            if (handle.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("short read at " + (position + buffer.position()));
            }
        }
        buffer.flip();
        start = position;
        return buffer;
    }

    /** Where the byte at file {@code position} is in the buffer {@link #cover} returned. */
    int offsetOf(long position) {
        return (int) (position - start);
    }

    /**
     * Whether every byte from {@code position} to the end of the file is zero: usually tens of
     * megabytes of preallocated space, compared a vector at a time ({@code mismatch}).
     */
    boolean zeroFrom(long position) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(chunk);
        for (long p = position; p < fileSize; ) {
            ByteBuffer b = cover(p, chunk);
            int from = offsetOf(p);
            int length = Math.min(b.limit() - from, chunk); // the buffer may have grown for a large record
            if (b.slice(from, length).mismatch(zeros.slice(0, length)) >= 0) {
                return false;
            }
            p += length;
        }
        return true;
    }
}
