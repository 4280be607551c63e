package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.LogCompactedException;
import io.cairn.raft.core.LogUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The log as a list of segment files. Two sides:
 * <ul>
 *   <li>Readers (any thread) see entries up to the last <em>durable</em> index, under a read lock.</li>
 *   <li>One writer thread appends through a buffer, then {@link #sync()} forces what it wrote and
 *   publishes it. Index changes take the write lock briefly; file writes happen outside it, past
 *   the end readers can see.</li>
 * </ul>
 */
final class SegmentedLog implements AutoCloseable {
    private final FileIO io;
    private final Path dir;
    private final long maxSegmentBytes;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Segment> segments;
    private final TailCache cache;
    private final long allocationChunk;

    // Guarded by lock.
    private long firstIndex;
    private long prevTerm;
    private long visibleLast;

    // Writer thread only.
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    private long bufferStart;
    private long writerLast;
    private final Set<Segment> dirty = new LinkedHashSet<>();
    private boolean directoryDirty;
    private boolean commitRecordNeeded;
    private long bytesWritten;

    SegmentedLog(FileIO io, Path dir, long maxSegmentBytes, long cacheBytes, List<Segment> recovered,
            long allocationChunk) {
        if (recovered.isEmpty()) {
            throw new IllegalArgumentException("the log needs at least one segment");
        }
        this.io = io;
        this.dir = dir;
        this.maxSegmentBytes = maxSegmentBytes;
        this.segments = new ArrayList<>(recovered);
        this.cache = new TailCache(cacheBytes);
        this.allocationChunk = allocationChunk;
        Segment first = segments.get(0);
        this.firstIndex = first.firstIndex;
        this.prevTerm = first.prevTerm;
        Segment last = active();
        this.writerLast = last.count() > 0 ? last.lastIndex() : last.firstIndex - 1;
        this.visibleLast = writerLast;
        this.bufferStart = last.size;
    }

    private Segment active() {
        return segments.get(segments.size() - 1);
    }

    // ---------------------------------------------------------------- readers

    long firstIndex() {
        lock.readLock().lock();
        try {
            return firstIndex;
        } finally {
            lock.readLock().unlock();
        }
    }

    long lastIndex() {
        lock.readLock().lock();
        try {
            return visibleLast;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Term at {@code index}; also answers {@code firstIndex - 1}. */
    long term(long index) {
        lock.readLock().lock();
        try {
            if (index == firstIndex - 1) {
                return prevTerm;
            }
            if (index < firstIndex) {
                throw new LogCompactedException(index, firstIndex);
            }
            if (index > visibleLast) {
                throw new LogUnavailableException(index, visibleLast);
            }
            return segmentOf(index).term(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    List<Entry> entries(long from, long to, long maxBytes) {
        if (from > to) {
            throw new IllegalArgumentException("from " + from + " > to " + to);
        }
        lock.readLock().lock();
        try {
            if (from < firstIndex) {
                throw new LogCompactedException(from, firstIndex);
            }
            if (to > visibleLast + 1) {
                throw new LogUnavailableException(to - 1, visibleLast);
            }
            List<Entry> out = new ArrayList<>();
            long[] used = {0};
            long next = from;
            while (next < to) {
                long before = next;
                if (next >= cache.firstIndex()) {
                    next = cache.read(next, to, maxBytes, out, used);
                } else {
                    next = readFromDisk(next, Math.min(to, cache.firstIndex()), maxBytes, out, used);
                }
                if (next == before || next < to && used[0] >= maxBytes) {
                    break;
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private long readFromDisk(long from, long to, long maxBytes, List<Entry> out, long[] used) throws IOException {
        Segment segment = segmentOf(from);
        long end = Math.min(to, segment.lastIndex() + 1);
        long i = from;
        // Sizes are known from the index, so only the entries that fit are read.
        while (i < end && (out.isEmpty() && i == from || used[0] + segment.entrySizeBytes(i) <= maxBytes)) {
            used[0] += segment.entrySizeBytes(i);
            i++;
        }
        if (i > from) {
            segment.read(from, i, out);
        }
        return i;
    }

    private Segment segmentOf(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstIndex <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo);
    }

    // ---------------------------------------------------------------- writer

    /** Last index written by the writer, durable or not. */
    long writerLastIndex() {
        return writerLast;
    }

    /** Whether the next batch must restate the commit index (a segment began or records were cut). */
    boolean commitRecordNeeded() {
        return commitRecordNeeded;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    /** Appends {@code entries}, which start at {@code writerLastIndex() + 1}. */
    void append(List<Entry> entries) throws IOException {
        for (Entry e : entries) {
            if (e.index() != writerLast + 1) {
                throw new IllegalStateException("append of " + e.index() + " after " + writerLast);
            }
            Segment segment = active();
            if (segment.size >= maxSegmentBytes && segment.count() > 0) {
                segment = roll();
            }
            int frame = LogRecords.entryFrameSize(e);
            ensureBuffer(frame);
            long position = bufferStart + buffer.position();
            LogRecords.writeEntry(buffer, e);
            segment.size += frame;
            lock.writeLock().lock();
            try {
                segment.addEntry(e.index(), e.term(), position, frame);
                cache.add(e);
            } finally {
                lock.writeLock().unlock();
            }
            writerLast = e.index();
        }
    }

    void appendCommit(long commit) throws IOException {
        ensureBuffer(LogRecords.commitFrameSize());
        LogRecords.writeCommit(buffer, commit);
        active().size += LogRecords.commitFrameSize();
        commitRecordNeeded = false;
    }

    private void ensureBuffer(int frame) throws IOException {
        if (buffer.remaining() < frame) {
            flush();
            if (buffer.capacity() < frame) {
                buffer = ByteBuffer.allocate(frame);
            }
        }
    }

    /** Writes the buffered bytes to the active segment (not forced). */
    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int n = buffer.remaining();
        Segment segment = active();
        segment.handle.write(buffer, bufferStart);
        bufferStart += n;
        bytesWritten += n;
        allocateAhead(segment, bufferStart);
        dirty.add(segment);
        buffer.clear();
    }

    /**
     * Writes zeros ahead of the records, a chunk at a time: while appends land in blocks that
     * already exist, an fdatasync has no file size to commit, which roughly halves its cost.
     * Recovery reads the zeros as the clean end of the records.
     */
    private void allocateAhead(Segment segment, long end) throws IOException {
        if (allocationChunk <= 0 || end < segment.allocated) {
            return;
        }
        long target = Math.min(end + allocationChunk, Math.max(end, maxSegmentBytes));
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(1, target - end)));
        for (long p = end; p < target; p += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), target - p));
            segment.handle.write(zeros, p);
        }
        segment.allocated = Math.max(end, target);
    }

    private Segment roll() throws IOException {
        flush();
        Segment previous = active();
        Segment next = newSegment(previous.lastIndex() + 1, previous.term(previous.lastIndex()));
        lock.writeLock().lock();
        try {
            segments.add(next);
        } finally {
            lock.writeLock().unlock();
        }
        dirty.add(next);
        directoryDirty = true;
        commitRecordNeeded = true;
        bufferStart = next.size;
        return next;
    }

    private Segment newSegment(long firstIndex, long prevTerm) throws IOException {
        return Segment.create(io, dir, firstIndex, prevTerm);
    }

    /**
     * Removes entries from {@code index} on, across segments if needed. The cut is forced before
     * anything new is written, so a power cut can never leave new records next to old ones.
     */
    void truncateFrom(long index) throws IOException {
        if (index > writerLast) {
            return;
        }
        flush();
        List<Segment> removed = new ArrayList<>();
        Segment segment;
        long cut;
        lock.writeLock().lock();
        try {
            if (index < firstIndex) {
                throw new IllegalStateException("cannot truncate compacted index " + index);
            }
            visibleLast = Math.min(visibleLast, index - 1);
            cache.truncateFrom(index);
            while (segments.size() > 1 && active().firstIndex > index) {
                removed.add(segments.remove(segments.size() - 1));
            }
            segment = active();
            cut = segment.forgetFrom(index);
        } finally {
            lock.writeLock().unlock();
        }
        // Later segments go first, newest first: were the cut below durable while they were
        // not, recovery would find a gap between segments.
        for (Segment s : removed) {
            deleteDurably(s);
        }
        // Readers see nothing at or past the cut any more, so it can happen outside the lock.
        segment.handle.truncate(cut);
        segment.size = cut;
        segment.allocated = cut;
        bufferStart = cut;
        writerLast = index - 1;
        segment.handle.force();
        commitRecordNeeded = true;
    }

    /**
     * Discards the whole log; it continues after {@code index} whose term is {@code term}. The
     * caller has already made the new snapshot point durable.
     */
    void reset(long index, long term) throws IOException {
        buffer.clear();
        List<Segment> removed;
        lock.writeLock().lock();
        try {
            removed = new ArrayList<>(segments);
            segments.clear();
            cache.clear();
            firstIndex = index + 1;
            prevTerm = term;
            visibleLast = index;
            writerLast = index;
        } finally {
            lock.writeLock().unlock();
        }
        // The old segments must be gone for good before a new one can start at a lower index.
        for (int i = removed.size() - 1; i >= 0; i--) {
            deleteDurably(removed.get(i));
        }
        Segment fresh = newSegment(index + 1, term);
        lock.writeLock().lock();
        try {
            segments.add(fresh);
        } finally {
            lock.writeLock().unlock();
        }
        bufferStart = fresh.size;
        dirty.add(fresh);
        directoryDirty = true;
        commitRecordNeeded = true;
    }

    /** Moves the logical first index to {@code index + 1} at once; files go in {@link #deleteSegmentsThrough}. */
    void compactLogically(long index, long termAtIndex) {
        lock.writeLock().lock();
        try {
            if (index + 1 > firstIndex) {
                firstIndex = index + 1;
                prevTerm = termAtIndex;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Deletes whole segments that hold nothing at or after {@code firstIndex()} (never the active one). */
    void deleteCompactedSegments() throws IOException {
        List<Segment> removed = new ArrayList<>();
        lock.writeLock().lock();
        try {
            while (segments.size() > 1 && segments.get(1).firstIndex <= firstIndex) {
                removed.add(segments.remove(0));
            }
        } finally {
            lock.writeLock().unlock();
        }
        for (Segment s : removed) {
            deleteDurably(s); // oldest first, so what remains is always contiguous
        }
    }

    /**
     * Deletes one segment and forces the directory, one at a time: a file system may persist
     * unforced deletions in any order, and a lost deletion in the middle would leave a gap.
     */
    private void deleteDurably(Segment segment) throws IOException {
        dirty.remove(segment);
        segment.close();
        io.delete(segment.path);
        io.forceDirectory(dir);
    }

    /** Segment files currently in use (for tests and diagnostics). */
    List<Path> segmentFiles() {
        lock.readLock().lock();
        try {
            return segments.stream().map(s -> s.path).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Hands the buffered records to the file without forcing them: they survive a crash of the
     * process but not a power cut, until the next {@link #sync()}. Readers see nothing new, since
     * no entry was appended (a truncation forces itself).
     */
    void writeUnforced() throws IOException {
        flush();
    }

    /**
     * Makes everything written durable and visible to readers.
     *
     * @return the number of file forces performed
     */
    int sync() throws IOException {
        flush();
        int forces = 0;
        for (Segment s : dirty) {
            s.handle.force();
            forces++;
        }
        dirty.clear();
        if (directoryDirty) {
            io.forceDirectory(dir);
            directoryDirty = false;
        }
        lock.writeLock().lock();
        try {
            visibleLast = writerLast;
        } finally {
            lock.writeLock().unlock();
        }
        return forces;
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            for (Segment s : segments) {
                s.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
