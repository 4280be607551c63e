package io.cairn.raft.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Tells a torn write from damage to a record that was complete, for the first bad record of the
 * last segment (nothing valid follows it).
 *
 * <p>Writes reach the file in order, so a write cut short by a crash leaves a prefix of its bytes
 * followed by what was there before: zeros written ahead of the records, or the end of the file.
 * A torn record therefore does not fit in the written bytes: its header is incomplete, or its
 * declared length runs into the trailing zeros or past the end of the file. Such a record was
 * never forced, so never acknowledged, and cutting it off loses nothing.
 *
 * <p>A record that fits in the written bytes but fails its checksum was complete when written,
 * and may have been forced and acknowledged: cutting it off could let the member vote for a
 * candidate that lacks a committed entry. The same holds for a complete record whose length
 * field alone was damaged, recognised because a shorter length makes its checksum match. Both are
 * reported as damage. (A record whose own last bytes happen to be zeros cannot be told from one
 * torn there; that ambiguity is inherent to a format without a separate durable end marker.)
 */
final class TailDamage {
    private TailDamage() {
    }

    /**
     * Why the bad record at {@code offset} of {@code data} (read up to its limit) is not a torn
     * write, or null if it is one.
     */
    static String notTorn(ByteBuffer data, int offset) {
        int written = endOfWrittenBytes(data, offset);
        if (written - offset < LogRecords.FRAME_HEADER) {
            return null; // the header itself is incomplete
        }
        int length = data.getInt(offset);
        int crc = data.getInt(offset + 4);
        if (length == 0 && crc == 0) {
            return null; // no header was ever written here: stray bytes in the zeros ahead of the records
        }
        if (length < 2 || length > LogRecords.MAX_PAYLOAD) {
            return "a written record header with an impossible length " + length;
        }
        if ((long) offset + LogRecords.FRAME_HEADER + length <= written) {
            return "a complete record of " + length + " bytes that fails its checksum";
        }
        int shorter = lengthMatchingChecksum(data, offset, written);
        if (shorter > 0) {
            return "a complete record of " + shorter + " bytes whose length field says " + length;
        }
        return null;
    }

    /** One past the last non-zero byte at or after {@code from}, or {@code from} if all are zero. */
    private static int endOfWrittenBytes(ByteBuffer data, int from) {
        for (int i = data.limit() - 1; i >= from; i--) {
            if (data.get(i) != 0) {
                return i + 1;
            }
        }
        return from;
    }

    /**
     * A payload length, within the written bytes, for which the record's stored checksum matches
     * and which makes a well-formed record; 0 if there is none.
     */
    private static int lengthMatchingChecksum(ByteBuffer data, int offset, int written) {
        int stored = data.getInt(offset + 4);
        int start = offset + LogRecords.FRAME_HEADER;
        CRC32C crc = new CRC32C();
        for (int length = 1; start + length <= written; length++) {
            crc.update(data.get(start + length - 1));
            if (length >= 2 && (int) crc.getValue() == stored && wellFormed(data, start, length)) {
                return length;
            }
        }
        return 0;
    }

    private static boolean wellFormed(ByteBuffer data, int start, int length) {
        byte version = data.get(start);
        byte type = data.get(start + 1);
        return version == LogRecords.VERSION && (type == LogRecords.TYPE_ENTRY && length >= LogRecords.ENTRY_OVERHEAD
                || type == LogRecords.TYPE_COMMIT && length == LogRecords.COMMIT_PAYLOAD);
    }
}
