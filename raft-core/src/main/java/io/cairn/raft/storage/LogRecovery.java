package io.cairn.raft.storage;

import io.cairn.raft.core.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the log from its segment files after a restart or a crash.
 *
 * <p>What a crash can explain is repaired: an incomplete record at the end of the last segment
 * (a torn write that was never acknowledged, see {@link TailDamage}) is cut off, a last segment
 * whose header never made it is removed, and a log left behind by an unfinished snapshot install is discarded. Anything
 * else (a bad record followed by valid ones, damage in an earlier segment, a complete last
 * record that fails its checksum, a gap between segments) is reported as a
 * {@link CorruptLogException}: skipping it would silently lose acknowledged entries.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
    /** Bytes read at a time while scanning a segment. */
    private static final int SCAN_CHUNK = 1 << 20;

    /** The recovered segments and the highest commit index recorded in them. */
    record Result(List<Segment> segments, long recordedCommit) {
    }

    private final FileIO io;
    private final Path dir;
    private final List<Segment> segments = new ArrayList<>();
    private long recordedCommit;
    private boolean directoryDirty;

    private LogRecovery(FileIO io, Path dir) {
        this.io = io;
        this.dir = dir;
    }

    static Result recover(FileIO io, Path dir, SnapshotMetadata snapshot) throws IOException {
        LogRecovery recovery = new LogRecovery(io, dir);
        try {
            recovery.scanAll();
            recovery.reconcileWith(snapshot);
            if (recovery.directoryDirty) {
                io.forceDirectory(dir);
            }
        } catch (IOException | RuntimeException e) {
            for (Segment s : recovery.segments) {
                try {
                    s.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new Result(recovery.segments, recovery.recordedCommit);
    }

    private void scanAll() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        for (Path file : io.list(dir)) {
            long first = Segment.parseFileName(file.getFileName().toString());
            if (first >= 0) {
                files.put(first, file);
            }
        }
        int n = 0;
        for (var e : files.entrySet()) {
            boolean last = ++n == files.size();
            scan(e.getValue(), e.getKey(), last);
        }
    }

    private void scan(Path file, long nameIndex, boolean last) throws IOException {
        FileIO.Handle handle = io.open(file);
        long[] header = Segment.readHeader(handle);
        if (header == null) {
            boolean holdsRecords = holdsBytesAfterHeader(handle);
            handle.close();
            if (!last) {
                throw new CorruptLogException(file, 0, "bad segment header");
            }
            if (holdsRecords) {
                // The header is written and forced before any record: records after a bad header
                // mean the header was damaged later, and deleting the file would drop them.
                throw new CorruptLogException(file, 0, "bad segment header in front of records");
            }
            // Created just before a crash, never forced: it held nothing acknowledged.
            LOG.warn("removing segment {} whose header is incomplete", file);
            io.delete(file);
            directoryDirty = true;
            return;
        }
        Segment segment = new Segment(file, handle, header[0], header[1], Segment.HEADER);
        segments.add(segment);
        if (header[0] != nameIndex) {
            throw new CorruptLogException(file, 16, "header says first index " + header[0]);
        }
        if (segments.size() > 1) {
            Segment previous = segments.get(segments.size() - 2);
            if (segment.firstIndex != previous.lastIndex() + 1) {
                throw new CorruptLogException(previous.path, previous.size, "log ends at " + previous.lastIndex()
                        + " but the next segment starts at " + segment.firstIndex);
            }
        }
        long size = handle.size();
        if (size > Integer.MAX_VALUE) {
            throw new CorruptLogException(file, 0, "segment of " + size + " bytes");
        }
        ReadWindow window = new ReadWindow(handle, size, SCAN_CHUNK);
        int offset = Segment.HEADER;
        while (offset < size) {
            ByteBuffer data = window.cover(offset, LogRecords.FRAME_HEADER);
            int at = window.offsetOf(offset);
            if (data.limit() - at >= LogRecords.FRAME_HEADER) {
                int claimed = data.getInt(at);
                if (claimed >= 2 && claimed <= LogRecords.MAX_PAYLOAD) {
                    data = window.cover(offset, LogRecords.FRAME_HEADER + claimed); // the whole record, if the file has it
                    at = window.offsetOf(offset);
                }
            }
            if (!LogRecords.isValidFrame(data, at)) {
                if (window.zeroFrom(offset)) {
                    break; // the unused, preallocated rest of the file
                }
                if (!last) {
                    throw new CorruptLogException(file, offset, "bad record in a segment that is not the last");
                }
                cutTornTail(segment, handle.readFully(0, (int) size), offset); // rare: judged on the whole file
                break;
            }
            int length = data.getInt(at);
            ByteBuffer payload = data.slice(at + LogRecords.FRAME_HEADER, length);
            int frame = LogRecords.FRAME_HEADER + length;
            if (LogRecords.type(payload) == LogRecords.TYPE_ENTRY) {
                long index = payload.getLong(10);
                long term = payload.getLong(2);
                if (index != segment.firstIndex + segment.count()) {
                    throw new CorruptLogException(file, offset, "entry " + index + " where "
                            + (segment.firstIndex + segment.count()) + " was expected");
                }
                segment.addEntry(index, term, offset, frame);
            } else {
                recordedCommit = Math.max(recordedCommit, LogRecords.commitOf(payload));
            }
            offset += frame;
        }
        segment.size = Math.min(offset, size);
        segment.allocated = size;
    }

    private static boolean holdsBytesAfterHeader(FileIO.Handle handle) throws IOException {
        long size = handle.size();
        if (size <= Segment.HEADER) {
            return false;
        }
        if (size > Integer.MAX_VALUE) {
            return true;
        }
        return !allZero(handle.readFully(0, (int) size), Segment.HEADER);
    }

    private static boolean allZero(ByteBuffer data, int from) {
        for (int i = from; i < data.limit(); i++) {
            if (data.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private void cutTornTail(Segment segment, ByteBuffer data, int offset) throws IOException {
        for (int p = offset + 1; p <= data.limit() - LogRecords.FRAME_HEADER; p++) {
            if (LogRecords.isValidFrame(data, p)) {
                throw new CorruptLogException(segment.path, offset, "bad record followed by a valid one at " + p);
            }
        }
        String damage = TailDamage.notTorn(data, offset);
        if (damage != null) {
            throw new CorruptLogException(segment.path, offset, "the last record is " + damage
                    + "; it may have been acknowledged, so it is not cut off");
        }
        LOG.warn("truncating torn tail of {} at offset {} ({} bytes)", segment.path, offset, data.limit() - offset);
        segment.handle.truncate(offset);
        segment.handle.force();
        segment.allocated = offset;
    }

    /**
     * Makes the log agree with the durable snapshot point. Normally it does already; after a crash
     * in the middle of installing a snapshot, the old log may still be there.
     */
    private void reconcileWith(SnapshotMetadata snapshot) throws IOException {
        if (segments.isEmpty()) {
            startFresh(snapshot);
            return;
        }
        Segment first = segments.get(0);
        Segment lastSegment = segments.get(segments.size() - 1);
        long logLast = lastSegment.count() > 0 ? lastSegment.lastIndex() : lastSegment.firstIndex - 1;
        boolean consistent;
        if (first.firstIndex == snapshot.index() + 1) {
            consistent = first.prevTerm == snapshot.term();
        } else if (first.firstIndex <= snapshot.index() && snapshot.index() <= logLast) {
            consistent = termAt(snapshot.index()) == snapshot.term();
        } else if (logLast < snapshot.index()) {
            consistent = false;
        } else {
            throw new CorruptLogException(first.path, 0, "log starts at " + first.firstIndex
                    + ", after the snapshot at " + snapshot.index());
        }
        if (!consistent) {
            LOG.warn("discarding log [{}..{}] that disagrees with snapshot {}/{} (unfinished install)",
                    first.firstIndex, logLast, snapshot.index(), snapshot.term());
            for (int i = segments.size() - 1; i >= 0; i--) {
                segments.get(i).close();
                io.delete(segments.get(i).path);
                io.forceDirectory(dir); // one at a time, newest first: never a gap
            }
            segments.clear();
            startFresh(snapshot);
        }
    }

    private long termAt(long index) {
        for (Segment s : segments) {
            if (s.contains(index)) {
                return s.term(index);
            }
            if (index == s.firstIndex - 1) {
                return s.prevTerm;
            }
        }
        return -1;
    }

    private void startFresh(SnapshotMetadata snapshot) throws IOException {
        Segment fresh = Segment.create(io, dir, snapshot.index() + 1, snapshot.term());
        fresh.handle.force();
        segments.add(fresh);
        directoryDirty = true;
    }
}
