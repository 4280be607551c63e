package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One segment file of the log: a header naming its first index and the term of the entry before
 * it, then framed records. The in-memory index (position, length and term of every entry) makes
 * reads one positional read and term lookups free. Not thread-safe: {@link SegmentedLog} guards it.
 */
final class Segment {
    static final int HEADER = 32;
    private static final long MAGIC = 0x434149524E4C4F47L; // "CAIRNLOG"
    private static final int VERSION = 1;
    private static final String SUFFIX = ".log";

    final Path path;
    final FileIO.Handle handle;
    final long firstIndex;
    /** Term of entry {@code firstIndex - 1}, so the log can answer it after older segments are gone. */
    final long prevTerm;
    /** End of the records, including bytes still in the writer's buffer. */
    long size;
    /** Length of the file: past {@link #size} it holds zeros written ahead of the records. */
    long allocated;

    private int count;
    private long[] positions = new long[1024];
    private int[] lengths = new int[1024];
    private long[] terms = new long[1024];

    Segment(Path path, FileIO.Handle handle, long firstIndex, long prevTerm, long size) {
        this.path = path;
        this.handle = handle;
        this.firstIndex = firstIndex;
        this.prevTerm = prevTerm;
        this.size = size;
        this.allocated = size;
    }

    static String fileName(long firstIndex) {
        return String.format("%020d%s", firstIndex, SUFFIX);
    }

    /** The first index encoded in a segment file name, or -1 if it is not one. */
    static long parseFileName(String name) {
        if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Creates a segment file and writes its header (durable with the first force). */
    static Segment create(FileIO io, Path dir, long firstIndex, long prevTerm) throws IOException {
        Path path = dir.resolve(fileName(firstIndex));
        io.delete(path);
        FileIO.Handle handle = io.open(path);
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putLong(MAGIC).putInt(VERSION).putInt(0).putLong(firstIndex).putLong(prevTerm);
        header.putInt(12, LogRecords.crc(header, 16, 16));
        handle.write(header.flip(), 0);
        return new Segment(path, handle, firstIndex, prevTerm, HEADER);
    }

    /** Reads a header; null if it is incomplete or does not check out. */
    static long[] readHeader(FileIO.Handle handle) throws IOException {
        if (handle.size() < HEADER) {
            return null;
        }
        ByteBuffer header = handle.readFully(0, HEADER);
        if (header.getLong(0) != MAGIC || header.getInt(8) != VERSION
                || header.getInt(12) != LogRecords.crc(header, 16, 16)) {
            return null;
        }
        return new long[] {header.getLong(16), header.getLong(24)};
    }

    int count() {
        return count;
    }

    long lastIndex() {
        return firstIndex + count - 1;
    }

    boolean contains(long index) {
        return index >= firstIndex && index <= lastIndex();
    }

    long term(long index) {
        return terms[slot(index)];
    }

    long position(long index) {
        return positions[slot(index)];
    }

    int frameLength(long index) {
        return lengths[slot(index)];
    }

    /** {@link Entry#sizeBytes()} of the entry, known without reading it. */
    int entrySizeBytes(long index) {
        return lengths[slot(index)] - LogRecords.FRAME_HEADER - LogRecords.ENTRY_OVERHEAD + 24;
    }

    private int slot(long index) {
        if (!contains(index)) {
            throw new IllegalArgumentException("index " + index + " not in segment " + path);
        }
        return (int) (index - firstIndex);
    }

    void addEntry(long index, long term, long position, int frameLength) {
        if (index != firstIndex + count) {
            throw new IllegalStateException("entry " + index + " does not follow " + lastIndex() + " in " + path);
        }
        if (count == positions.length) {
            positions = Arrays.copyOf(positions, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            terms = Arrays.copyOf(terms, count * 2);
        }
        positions[count] = position;
        lengths[count] = frameLength;
        terms[count] = term;
        count++;
    }

    /** Forgets entries from {@code index} on and returns the file offset where the first of them began. */
    long forgetFrom(long index) {
        long cut = index <= lastIndex() ? positions[slot(index)] : size;
        count = (int) Math.max(0, Math.min(count, index - firstIndex));
        return cut;
    }

    /**
     * Reads and verifies the entries {@code [from, to)} of this segment with one positional read.
     */
    void read(long from, long to, List<Entry> out) throws IOException {
        long start = position(from);
        long end = position(to - 1) + frameLength(to - 1);
        ByteBuffer span = handle.readFully(start, (int) (end - start));
        for (long i = from; i < to; i++) {
            int offset = (int) (position(i) - start);
            if (!LogRecords.isValidFrame(span, offset)) {
                throw new CorruptLogException(path, position(i), "record of entry " + i + " fails its checksum");
            }
            ByteBuffer payload = span.slice(offset + LogRecords.FRAME_HEADER, frameLength(i) - LogRecords.FRAME_HEADER);
            Entry e = LogRecords.decodeEntry(payload);
            if (e.index() != i) {
                throw new CorruptLogException(path, position(i), "expected entry " + i + " but found " + e.index());
            }
            out.add(e);
        }
    }

    void close() throws IOException {
        handle.close();
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + firstIndex + ".." + lastIndex() + "]";
    }
}
