package io.cairn.kv.internal;

import io.cairn.kv.proto.NodeRecord;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Committed nodes the apply path has recently read or written, least recently used evicted first,
 * bounded by an estimate of their heap footprint. Every write looks up the node it replaces and
 * its parent directories; without this each of those lookups is a RocksDB point read (memtable,
 * then table files), the largest single cost of applying a write.
 *
 * <p>Holds exactly what the database holds for each cached path (or that the path is absent),
 * as of the last committed batch: a batch's reads and writes are merged in only after the batch is
 * written. Not thread-safe: used by the single applying thread, and cleared by a restore while
 * applying is locked out.
 */
public final class NodeCache {
    /** Map entry, key string and record object headers, roughly. */
    private static final long ENTRY_OVERHEAD_BYTES = 120;

    private final long capacityBytes;
    private final LinkedHashMap<String, NodeRecord> nodes = new LinkedHashMap<>(1024, 0.75f, true);
    private long sizeBytes;

    /** @param capacityBytes estimated heap the cached nodes may take; 0 disables the cache */
    public NodeCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * The cached state of {@code path}: its record, {@code absent} when the database is known not
     * to hold it, or null when it is not cached.
     */
    NodeRecord get(String path) {
        return nodes.get(path);
    }

    /** Records {@code path}'s committed state ({@code record}, or the caller's absence marker). */
    void put(String path, NodeRecord record) {
        if (capacityBytes == 0) {
            return;
        }
        NodeRecord old = nodes.put(path, record);
        if (old != null) {
            sizeBytes -= weight(path, old);
        }
        sizeBytes += weight(path, record);
        evictOverflow();
    }

    /** Forgets everything (the database underneath was replaced). */
    public void clear() {
        nodes.clear();
        sizeBytes = 0;
    }

    int size() {
        return nodes.size();
    }

    long sizeBytes() {
        return sizeBytes;
    }

    private void evictOverflow() {
        Iterator<Map.Entry<String, NodeRecord>> eldest = nodes.entrySet().iterator();
        while (sizeBytes > capacityBytes && eldest.hasNext()) {
            Map.Entry<String, NodeRecord> e = eldest.next();
            sizeBytes -= weight(e.getKey(), e.getValue());
            eldest.remove();
        }
    }

    private static long weight(String path, NodeRecord record) {
        return ENTRY_OVERHEAD_BYTES + 2L * path.length() + record.getSerializedSize();
    }
}
