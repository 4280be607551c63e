package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent entries, bounded by bytes, so a leader replicates to followers that keep up
 * without reading the disk. Not thread-safe: {@link SegmentedLog} guards it.
 */
final class TailCache {
    private final long maxBytes;
    private final ArrayList<Entry> entries = new ArrayList<>();
    /** Entries before {@code head} in the list were evicted (trimmed in bulk to keep eviction cheap). */
    private int head;
    private long bytes;

    TailCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Index of the oldest cached entry, or {@code Long.MAX_VALUE} when empty. */
    long firstIndex() {
        return head < entries.size() ? entries.get(head).index() : Long.MAX_VALUE;
    }

    void add(Entry e) {
        if (maxBytes <= 0) {
            return;
        }
        if (head < entries.size() && e.index() != entries.get(entries.size() - 1).index() + 1) {
            clear();
        }
        entries.add(e);
        bytes += e.sizeBytes();
        while (bytes > maxBytes && head < entries.size()) {
            // the slot is cleared now, so an evicted entry is garbage at once and not only at the
            // next bulk trim (which alone would let the cache hold twice its bound)
            bytes -= entries.set(head++, null).sizeBytes();
        }
        if (head > 4096 && head > entries.size() / 2) {
            entries.subList(0, head).clear();
            head = 0;
        }
    }

    Entry get(long index) {
        return entries.get(head + (int) (index - firstIndex()));
    }

    /** Drops entries from {@code index} on. */
    void truncateFrom(long index) {
        while (head < entries.size() && entries.get(entries.size() - 1).index() >= index) {
            bytes -= entries.remove(entries.size() - 1).sizeBytes();
        }
    }

    void clear() {
        entries.clear();
        head = 0;
        bytes = 0;
    }

    /** Entries this cache still references, evicted ones included (for tests). */
    long referencedBytes() {
        long total = 0;
        for (Entry e : entries) {
            total += e == null ? 0 : e.sizeBytes();
        }
        return total;
    }

    /** Appends cached entries {@code [from, to)} while they fit {@code maxBytes}; returns the next index. */
    long read(long from, long to, long budget, List<Entry> out, long[] usedBytes) {
        long i = from;
        for (; i < to; i++) {
            Entry e = get(i);
            if (!out.isEmpty() && usedBytes[0] + e.sizeBytes() > budget) {
                break;
            }
            usedBytes[0] += e.sizeBytes();
            out.add(e);
        }
        return i;
    }
}
