package io.cairn.server.unsafe;

import io.cairn.raft.storage.FileIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NegativeControl#ACK_BEFORE_PERSIST}: a {@link FileIO} that lies about durability. Writes
 * to the chosen files are copied into this process's memory and reach the operating system only
 * once they are {@code delayMillis} old (a background flusher looks every tenth of that), or
 * before a read, a size query, a truncation or a close of the same file; {@link Handle#force()}
 * does nothing. The Raft log then reports entries durable, the node acknowledges and commits
 * them, and a {@code kill -9} loses the last {@code delayMillis} of writes, every time. (Merely
 * skipping fsync would not do: a killed process loses nothing that is already in the page
 * cache.)
 *
 * <p>Writes reach the file in the order they were made, so after a kill the file holds a prefix
 * of what was written, which the log's recovery treats as a torn tail. Every other file (the
 * state file, snapshots) goes straight to {@code delegate}.
 */
public final class DeferredWriteFileIO implements FileIO {
    /** How long a write waits in memory before it reaches the OS, by default. */
    public static final long DEFAULT_DELAY_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(DeferredWriteFileIO.class);

    private final FileIO delegate;
    private final Predicate<Path> deferred;
    private final LongSupplier nanoClock;
    private final Set<DeferredHandle> open = ConcurrentHashMap.newKeySet();

    /**
     * @param nanoClock stamps each write (System::nanoTime outside tests)
     * @param delayMillis age at which the background flusher hands a write to the OS; 0 for no
     *     flusher (writes then wait for {@link #flushOlderThan}, {@link #flushAll()} or a read)
     */
    DeferredWriteFileIO(FileIO delegate, Predicate<Path> deferred, LongSupplier nanoClock, long delayMillis) {
        this.delegate = delegate;
        this.deferred = deferred;
        this.nanoClock = nanoClock;
        if (delayMillis > 0) {
            ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "unsafe-deferred-log-writes");
                t.setDaemon(true);
                return t;
            });
            long delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
            long every = Math.max(1, delayMillis / 10);
            flusher.scheduleWithFixedDelay(() -> flushQuietly(nanoClock.getAsLong() - delayNanos), every, every,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The Raft log's segment files ({@code <20 digits>.log}) deferred by {@link #DEFAULT_DELAY_MILLIS}. */
    static DeferredWriteFileIO ofRaftSegments() {
        return new DeferredWriteFileIO(FileIO.nio(), DeferredWriteFileIO::isSegment, System::nanoTime,
                DEFAULT_DELAY_MILLIS);
    }

    static boolean isSegment(Path file) {
        return file.getFileName().toString().matches("\\d{20}\\.log");
    }

    /** Hands every deferred write to the operating system (still without fsync). */
    void flushAll() throws IOException {
        flushOlderThan(Long.MAX_VALUE);
    }

    /** Hands to the OS, in order, the deferred writes stamped at or before {@code nanos}. */
    void flushOlderThan(long nanos) throws IOException {
        for (DeferredHandle h : open) {
            h.flush(nanos);
        }
    }

    /** Bytes written but not yet handed to the operating system, across all files. */
    long pendingBytes() {
        return open.stream().mapToLong(DeferredHandle::pendingBytes).sum();
    }

    private void flushQuietly(long nanos) {
        try {
            flushOlderThan(nanos);
        } catch (IOException | UncheckedIOException e) {
            LOG.error("deferred log writes could not be flushed", e);
        }
    }

    @Override
    public Handle open(Path file) throws IOException {
        Handle handle = delegate.open(file);
        if (!deferred.test(file)) {
            return handle;
        }
        DeferredHandle wrapped = new DeferredHandle(handle);
        open.add(wrapped);
        return wrapped;
    }

    @Override
    public Handle openExisting(Path file) throws IOException {
        flushAll(); // a reader must see what the writer wrote
        return delegate.openExisting(file);
    }

    @Override
    public boolean exists(Path file) {
        return delegate.exists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        delegate.createDirectories(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        delegate.delete(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        delegate.rename(from, to);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        delegate.forceDirectory(dir);
    }

    private record Write(ByteBuffer data, long position, long stampNanos) {
    }

    private final class DeferredHandle implements Handle {
        private final Handle file;
        /** Guarded by this. */
        private final ArrayDeque<Write> pending = new ArrayDeque<>();
        private long pendingBytes;

        DeferredHandle(Handle file) {
            this.file = file;
        }

        synchronized long pendingBytes() {
            return pendingBytes;
        }

        synchronized void flush() throws IOException {
            flush(Long.MAX_VALUE);
        }

        synchronized void flush(long upToNanos) throws IOException {
            while (!pending.isEmpty() && pending.peek().stampNanos() <= upToNanos) {
                Write w = pending.peek();
                file.write(w.data(), w.position());
                pending.poll();
                pendingBytes -= w.data().capacity();
            }
        }

        @Override
        public synchronized void write(ByteBuffer src, long position) {
            ByteBuffer copy = ByteBuffer.allocate(src.remaining());
            copy.put(src).flip();
            pending.add(new Write(copy, position, nanoClock.getAsLong()));
            pendingBytes += copy.capacity();
        }

        @Override
        public void force() {
            // The lie: nothing is forced, and the deferred writes are not even in the OS yet.
        }

        @Override
        public synchronized long size() throws IOException {
            flush();
            return file.size();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            flush();
            return file.read(dst, position);
        }

        @Override
        public synchronized void truncate(long size) throws IOException {
            flush();
            file.truncate(size);
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                flush();
            } finally {
                open.remove(this);
                file.close();
            }
        }
    }
}
