package io.cairn.raft.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One replicated log entry. Immutable; the payload array is never modified after construction
 * and is never copied by the library, so callers must not mutate it either.
 */
public final class Entry {
    private static final byte[] EMPTY = new byte[0];

    private final long term;
    private final long index;
    private final EntryType type;
    private final byte[] data;

    public Entry(long term, long index, EntryType type, byte[] data) {
        if (term < 0 || index < 0) {
            throw new IllegalArgumentException("negative term or index: " + term + "/" + index);
        }
        this.term = term;
        this.index = index;
        this.type = Objects.requireNonNull(type, "type");
        this.data = data == null ? EMPTY : data;
    }

    /** A normal entry. */
    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    public long term() {
        return term;
    }

    public long index() {
        return index;
    }

    public EntryType type() {
        return type;
    }

    /** The payload (shared, do not modify). Empty for the leader's no-op entry. */
    public byte[] data() {
        return data;
    }

    /** Approximate size used for flow-control and memory bounds. */
    public int sizeBytes() {
        return data.length + 24;
    }

    /** The same entry at another position (used when a leader appends a proposal). */
    public Entry withPosition(long newTerm, long newIndex) {
        return new Entry(newTerm, newIndex, type, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return index + "/" + term + (type == EntryType.CONFIG_CHANGE ? " conf" : "") + " " + data.length + "B";
    }
}
