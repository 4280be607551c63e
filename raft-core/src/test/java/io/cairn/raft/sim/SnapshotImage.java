package io.cairn.raft.sim;

import java.util.Arrays;

/**
 * A state machine image: the value applied at every index up to {@code index} (see
 * {@link SimStateMachine#valueOf}). Immutable once built; the array is never modified.
 */
record SnapshotImage(long index, long[] values) {
    static final SnapshotImage EMPTY = new SnapshotImage(0, new long[1]);

    SnapshotImage {
        if (values.length != index + 1) {
            throw new IllegalArgumentException("image of index " + index + " needs " + (index + 1) + " values");
        }
    }

    long valueAt(long i) {
        return values[Math.toIntExact(i)];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotImage s && s.index == index && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "image@" + index;
    }
}
