package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record format of log segments. Each record is framed as {@code [int length][int crc32c]
 * [payload]}, the checksum covering the payload. The payload starts with a format version and a
 * type, so the format can evolve while old segments stay readable:
 * <pre>
 *   ENTRY  = [byte version][byte 1][long term][long index][byte entryType][data...]
 *   COMMIT = [byte version][byte 2][long commitIndex]
 * </pre>
 */
final class LogRecords {
    static final int FRAME_HEADER = 8;
    static final byte VERSION = 1;
    static final byte TYPE_ENTRY = 1;
    static final byte TYPE_COMMIT = 2;
    static final int ENTRY_OVERHEAD = 2 + 8 + 8 + 1;
    static final int COMMIT_PAYLOAD = 2 + 8;
    /** Payloads above this are rejected as damage when scanning (and refused when writing). */
    static final int MAX_PAYLOAD = 64 << 20;

    private LogRecords() {
    }

    static int entryFrameSize(Entry e) {
        return FRAME_HEADER + ENTRY_OVERHEAD + e.data().length;
    }

    static int commitFrameSize() {
        return FRAME_HEADER + COMMIT_PAYLOAD;
    }

    static void writeEntry(ByteBuffer out, Entry e) {
        if (ENTRY_OVERHEAD + e.data().length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("entry " + e.index() + " is larger than " + MAX_PAYLOAD + " bytes");
        }
        int start = beginFrame(out);
        out.put(VERSION).put(TYPE_ENTRY).putLong(e.term()).putLong(e.index())
                .put((byte) e.type().ordinal()).put(e.data());
        endFrame(out, start);
    }

    static void writeCommit(ByteBuffer out, long commit) {
        int start = beginFrame(out);
        out.put(VERSION).put(TYPE_COMMIT).putLong(commit);
        endFrame(out, start);
    }

    private static int beginFrame(ByteBuffer out) {
        int start = out.position();
        out.position(start + FRAME_HEADER);
        return start;
    }

    private static void endFrame(ByteBuffer out, int start) {
        int end = out.position();
        int length = end - start - FRAME_HEADER;
        out.putInt(start, length);
        out.putInt(start + 4, crc(out, start + FRAME_HEADER, length));
    }

    static int crc(ByteBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(offset, length));
        return (int) crc.getValue();
    }

    /**
     * Whether a well-formed record starts at {@code offset} of {@code buffer}: a plausible length
     * that fits, a matching checksum and a known version and type.
     */
    static boolean isValidFrame(ByteBuffer buffer, int offset) {
        if (buffer.limit() - offset < FRAME_HEADER) {
            return false;
        }
        int length = buffer.getInt(offset);
        if (length < 2 || length > MAX_PAYLOAD || length > buffer.limit() - offset - FRAME_HEADER) {
            return false;
        }
        if (buffer.getInt(offset + 4) != crc(buffer, offset + FRAME_HEADER, length)) {
            return false;
        }
        byte version = buffer.get(offset + FRAME_HEADER);
        byte type = buffer.get(offset + FRAME_HEADER + 1);
        return version == VERSION && (type == TYPE_ENTRY && length >= ENTRY_OVERHEAD
                || type == TYPE_COMMIT && length == COMMIT_PAYLOAD);
    }

    /** Decodes an entry payload (version and type already checked). */
    static Entry decodeEntry(ByteBuffer payload) {
        int p = payload.position() + 2;
        long term = payload.getLong(p);
        long index = payload.getLong(p + 8);
        int typeOrdinal = payload.get(p + 16);
        EntryType[] types = EntryType.values();
        if (typeOrdinal < 0 || typeOrdinal >= types.length) {
            throw new IllegalStateException("unknown entry type " + typeOrdinal);
        }
        byte[] data = new byte[payload.remaining() - ENTRY_OVERHEAD];
        payload.get(payload.position() + ENTRY_OVERHEAD, data);
        return new Entry(term, index, types[typeOrdinal], data);
    }

    static byte type(ByteBuffer payload) {
        return payload.get(payload.position() + 1);
    }

    static long commitOf(ByteBuffer payload) {
        return payload.getLong(payload.position() + 2);
    }
}
