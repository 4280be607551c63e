package io.cairn.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An in-memory {@link FileIO} that tracks what a power cut would keep: file contents as of
 * their last {@code force}, and directory entries (creations, deletions, renames) as of the last
 * {@code forceDirectory} of their directory. {@link #crashImage} returns the file system a
 * machine would find after losing power at that moment, optionally with a random part of the
 * unforced appended bytes (a torn write). Directories themselves are assumed durable.
 */
final class PowerCutFileSystem implements FileIO {
    /** One file's bytes, independent of its names. */
    private static final class Inode {
        byte[] data = new byte[0];
        int size;
        byte[] durable = new byte[0];

        /**
         * What survives a power cut: the forced bytes, or in torn mode the current bytes up to a
         * random point past where they first differ from the forced ones, the forced ones after it
         * (unforced writes reached the disk in order, up to that point).
         */
        Inode copyDurable(Random torn) {
            byte[] kept = durable;
            if (torn != null && size < durable.length) {
                // An unforced truncation either made it or did not.
                kept = torn.nextBoolean() ? Arrays.copyOf(data, size) : durable;
            } else if (torn != null) {
                int common = 0;
                while (common < durable.length && data[common] == durable[common]) {
                    common++;
                }
                int cut = common + torn.nextInt(size - common + 1);
                kept = Arrays.copyOf(data, Math.max(cut, durable.length));
                if (cut < durable.length) {
                    System.arraycopy(durable, cut, kept, cut, durable.length - cut);
                }
            }
            Inode copy = new Inode();
            copy.data = kept.clone();
            copy.size = kept.length;
            copy.durable = kept.clone();
            return copy;
        }
    }

    private final Map<Path, Inode> names = new HashMap<>();
    private final Map<Path, Inode> durableNames = new HashMap<>();
    private final Set<Path> directories = new HashSet<>();
    private long operations;
    private long crashAtOperation = -1;
    private Runnable onCrashPoint;
    private PowerCutFileSystem capturedImage;

    /** Captures {@link #crashImage(Random)} just before mutating operation number {@code n} (1-based). */
    synchronized void captureBeforeOperation(long n, Random torn, Runnable onCapture) {
        this.crashAtOperation = n;
        this.onCrashPoint = () -> {
            capturedImage = crashImage(torn);
            onCapture.run();
        };
    }

    synchronized PowerCutFileSystem capturedImage() {
        return capturedImage;
    }

    synchronized long operations() {
        return operations;
    }

    private void mutating() {
        operations++;
        if (operations == crashAtOperation) {
            onCrashPoint.run();
        }
    }

    /** The file system after a power cut now; {@code torn} (nullable) keeps random unforced appends. */
    synchronized PowerCutFileSystem crashImage(Random torn) {
        PowerCutFileSystem image = new PowerCutFileSystem();
        image.directories.addAll(directories);
        Map<Inode, Inode> copies = new HashMap<>();
        for (var e : durableNames.entrySet()) {
            Inode copy = copies.computeIfAbsent(e.getValue(), i -> i.copyDurable(torn));
            image.names.put(e.getKey(), copy);
            image.durableNames.put(e.getKey(), copy);
        }
        return image;
    }

    /** Current bytes of {@code file} (for tests that damage files). */
    synchronized byte[] contents(Path file) {
        Inode inode = names.get(file);
        return Arrays.copyOf(inode.data, inode.size);
    }

    @Override
    public synchronized Handle open(Path file) throws IOException {
        requireDirectory(file.getParent());
        Inode inode = names.get(file);
        if (inode == null) {
            mutating();
            inode = new Inode();
            names.put(file, inode);
        }
        return new MemoryHandle(inode, true);
    }

    @Override
    public synchronized Handle openExisting(Path file) throws IOException {
        Inode inode = names.get(file);
        if (inode == null) {
            throw new NoSuchFileException(file.toString());
        }
        return new MemoryHandle(inode, false);
    }

    @Override
    public synchronized boolean exists(Path file) {
        return names.containsKey(file);
    }

    @Override
    public synchronized List<Path> list(Path dir) throws IOException {
        requireDirectory(dir);
        List<Path> out = new ArrayList<>();
        for (Path p : names.keySet()) {
            if (dir.equals(p.getParent())) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public synchronized void createDirectories(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            directories.add(p);
        }
    }

    @Override
    public synchronized void delete(Path file) {
        if (names.containsKey(file)) {
            mutating();
            names.remove(file);
        }
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        Inode inode = names.get(from);
        if (inode == null) {
            throw new NoSuchFileException(from.toString());
        }
        mutating();
        names.remove(from);
        names.put(to, inode);
    }

    @Override
    public synchronized void forceDirectory(Path dir) throws IOException {
        requireDirectory(dir);
        mutating();
        durableNames.keySet().removeIf(p -> dir.equals(p.getParent()));
        for (var e : names.entrySet()) {
            if (dir.equals(e.getKey().getParent())) {
                durableNames.put(e.getKey(), e.getValue());
            }
        }
    }

    private void requireDirectory(Path dir) throws IOException {
        if (!directories.contains(dir)) {
            throw new NoSuchFileException(String.valueOf(dir));
        }
    }

    private final class MemoryHandle implements Handle {
        private final Inode inode;
        private final boolean writable;
        private boolean closed;

        MemoryHandle(Inode inode, boolean writable) {
            this.inode = inode;
            this.writable = writable;
        }

        private void check(boolean write) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            if (write && !writable) {
                throw new IOException("read-only");
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (PowerCutFileSystem.this) {
                check(false);
                return inode.size;
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (PowerCutFileSystem.this) {
                check(false);
                if (position >= inode.size) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), inode.size - position);
                dst.put(inode.data, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (PowerCutFileSystem.this) {
                check(true);
                mutating();
                int end = (int) position + src.remaining();
                if (end > inode.data.length) {
                    inode.data = Arrays.copyOf(inode.data, Math.max(end, inode.data.length * 2));
                }
                if (position > inode.size) {
                    Arrays.fill(inode.data, inode.size, (int) position, (byte) 0);
                }
                src.get(inode.data, (int) position, src.remaining());
                inode.size = Math.max(inode.size, end);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (PowerCutFileSystem.this) {
                check(true);
                mutating();
                inode.size = (int) Math.min(inode.size, size);
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (PowerCutFileSystem.this) {
                check(false);
                mutating();
                inode.durable = Arrays.copyOf(inode.data, inode.size);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
