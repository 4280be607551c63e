package io.cairn.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the next segment file in the background: full size, zero-filled and forced. Writing
 * into blocks that already exist means an fdatasync has no file size or extent change to commit,
 * which roughly halves its cost on ext4. The writer never waits: if no file is ready when it
 * rolls, it starts an ordinary one.
 */
final class SegmentPreallocator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentPreallocator.class);
    static final String SUFFIX = ".prealloc";

    private final FileIO io;
    private final Path dir;
    private final long bytes;
    private final ExecutorService executor;
    private final AtomicLong counter = new AtomicLong();
    private Future<Path> next;

    SegmentPreallocator(FileIO io, Path dir, long bytes) throws IOException {
        this.io = io;
        this.dir = dir;
        this.bytes = bytes;
        for (Path file : io.list(dir)) {
            if (file.getFileName().toString().endsWith(SUFFIX)) {
                io.delete(file); // left over from before a restart
            }
        }
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-storage-prealloc-" + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.next = executor.submit(this::prepare);
    }

    /** A prepared file, or null if none is ready yet; the next one is started either way. */
    Path take() {
        if (next == null || !next.isDone()) {
            return null;
        }
        Path prepared = null;
        try {
            prepared = next.get();
        } catch (ExecutionException e) {
            LOG.warn("could not preallocate a segment in {}", dir, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        next = executor.isShutdown() ? null : executor.submit(this::prepare);
        return prepared;
    }

    private Path prepare() throws IOException {
        Path file = dir.resolve("next-" + counter.incrementAndGet() + SUFFIX);
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(bytes, 1 << 20));
        try (FileIO.Handle handle = io.open(file)) {
            for (long position = 0; position < bytes; position += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - position));
                handle.write(zeros, position);
            }
            handle.force();
        }
        return file;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
            if (next != null && next.isDone() && !next.isCancelled()) {
                io.delete(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException e) {
            LOG.debug("unused preallocated segment not removed", e);
        }
    }
}
