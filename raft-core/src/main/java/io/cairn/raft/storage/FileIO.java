package io.cairn.raft.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The few file operations the file stores need. A seam so tests can substitute a file system that
 * remembers which bytes were forced and can "lose power" (keep only those), and so that fault
 * injection needs no real disk. {@link #nio()} is the real thing.
 */
public interface FileIO {

    /** Opens {@code file} for reading and writing, creating it empty if missing. */
    Handle open(Path file) throws IOException;

    /** Opens an existing {@code file} for reading only. */
    Handle openExisting(Path file) throws IOException;

    /** Whether {@code file} exists. */
    boolean exists(Path file);

    /** The regular files directly inside {@code dir}. */
    List<Path> list(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /** Deletes {@code file} if it exists. Durable only after {@link #forceDirectory}. */
    void delete(Path file) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing it. Durable only after {@link #forceDirectory}. */
    void rename(Path from, Path to) throws IOException;

    /** Makes creations, deletions and renames inside {@code dir} durable. */
    void forceDirectory(Path dir) throws IOException;

    /** The platform file system. */
    static FileIO nio() {
        return NioFileIO.INSTANCE;
    }

    /** An open file. Positional reads are safe from many threads at once. */
    interface Handle extends Closeable {
        /** Current length of the file. */
        long size() throws IOException;

        /** Reads into {@code dst} from {@code position}; returns the bytes read, -1 at the end. */
        int read(ByteBuffer dst, long position) throws IOException;

        /** Writes all of {@code src} at {@code position}. */
        void write(ByteBuffer src, long position) throws IOException;

        /** Shortens the file to {@code size} bytes (durable only after {@link #force()}). */
        void truncate(long size) throws IOException;

        /** Makes every byte written so far (and the size) durable. */
        void force() throws IOException;

        /** Reads exactly {@code length} bytes at {@code position}, failing on a short file. */
        default ByteBuffer readFully(long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                int n = read(buffer, position + buffer.position());
                if (n < 0) {
                    throw new java.io.EOFException("short read at " + (position + buffer.position()));
                }
            }
            return buffer.flip();
        }
    }
}
