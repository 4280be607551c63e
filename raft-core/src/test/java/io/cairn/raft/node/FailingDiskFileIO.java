package io.cairn.raft.node;

import io.cairn.raft.storage.FileIO;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The real file system, except that once {@link #failForces()} is called every fsync (of a file
 * or a directory) fails with an I/O error, as a disk that went bad (or libfiu in the jepsen
 * suite's fsync-error nemesis) makes it fail.
 */
final class FailingDiskFileIO implements FileIO {
    private final FileIO real = FileIO.nio();
    private volatile boolean failing;
    private volatile int failedForces;

    void failForces() {
        failing = true;
    }

    /** How many forces failed so far. */
    int failedForces() {
        return failedForces;
    }

    private void forceOrFail() throws IOException {
        if (failing) {
            failedForces++;
            throw new IOException("Input/output error (injected fsync failure)");
        }
    }

    @Override
    public Handle open(Path file) throws IOException {
        return wrap(real.open(file));
    }

    @Override
    public Handle openExisting(Path file) throws IOException {
        return wrap(real.openExisting(file));
    }

    private Handle wrap(Handle handle) {
        return new Handle() {
            @Override
            public long size() throws IOException {
                return handle.size();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return handle.read(dst, position);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                handle.write(src, position);
            }

            @Override
            public void truncate(long size) throws IOException {
                handle.truncate(size);
            }

            @Override
            public void force() throws IOException {
                forceOrFail();
                handle.force();
            }

            @Override
            public void close() throws IOException {
                handle.close();
            }
        };
    }

    @Override
    public boolean exists(Path file) {
        return real.exists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        real.delete(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        real.rename(from, to);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        forceOrFail();
        real.forceDirectory(dir);
    }
}
