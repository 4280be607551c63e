package io.cairn.raft.core;

/**
 * The append messages sent to one follower and not yet acknowledged, as a ring buffer of
 * (last index, bytes) bounded both by message count and by total bytes.
 */
final class Inflights {
    private final int capacity;
    private final long maxBytes;
    private final long[] indexes;
    private final long[] sizes;
    private int start;
    private int count;
    private long bytes;

    Inflights(int capacity, long maxBytes) {
        if (capacity <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("capacity and maxBytes must be positive");
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.indexes = new long[capacity];
        this.sizes = new long[capacity];
    }

    /** Records a message whose last entry is {@code lastIndex}; indexes must increase. */
    void add(long lastIndex, long sizeBytes) {
        if (count == capacity) {
            throw new IllegalStateException("inflight window is full");
        }
        int slot = (start + count) % capacity;
        indexes[slot] = lastIndex;
        sizes[slot] = sizeBytes;
        count++;
        bytes += sizeBytes;
    }

    /** Acknowledges every message whose last index is at or below {@code index}. */
    void freeLE(long index) {
        while (count > 0 && indexes[start] <= index) {
            bytes -= sizes[start];
            start = (start + 1) % capacity;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /**
     * Frees the oldest message: a heartbeat response shows the follower is alive, so one more
     * append may go out even if earlier ones were lost (the follower then rejects and we re-probe).
     */
    void freeFirstOne() {
        if (count > 0) {
            freeLE(indexes[start]);
        }
    }

    /** Whether no further message may be sent: the count or the byte budget is exhausted. */
    boolean full() {
        return count == capacity || bytes >= maxBytes;
    }

    int count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
