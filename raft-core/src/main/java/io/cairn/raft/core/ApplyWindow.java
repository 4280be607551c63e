package io.cairn.raft.core;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The committed entries handed out for application and not yet reported applied, bounded by
 * bytes so a slow state machine cannot make the runtime queue unbounded work.
 */
final class ApplyWindow {
    /** A handed-out batch: the index of its last entry and its size. */
    private record Batch(long lastIndex, long bytes) {
    }

    private final long maxBytes;
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private long bytes;

    ApplyWindow(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /** Whether no more entries may be handed out until some are applied. */
    boolean isFull() {
        return bytes >= maxBytes;
    }

    /** The bytes that may still be handed out (the caller always allows at least one entry). */
    long remaining() {
        return Math.max(0, maxBytes - bytes);
    }

    void handedOut(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long size = 0;
        for (Entry e : batch) {
            size += e.sizeBytes();
        }
        batches.add(new Batch(batch.get(batch.size() - 1).index(), size));
        bytes += size;
    }

    /** The state machine applied everything up to {@code index}; a partly applied batch still counts. */
    void appliedThrough(long index) {
        while (!batches.isEmpty() && batches.peek().lastIndex() <= index) {
            bytes -= batches.poll().bytes();
        }
    }

    long bytes() {
        return bytes;
    }
}
