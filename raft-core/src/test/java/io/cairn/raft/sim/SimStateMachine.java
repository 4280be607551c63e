package io.cairn.raft.sim;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The simulated application: it remembers which value was applied at every index, so two nodes'
 * histories can be compared entry by entry and an acknowledged proposal can be looked up. A
 * client proposal's value is its unique positive id; a leader no-op is {@link #NOOP}, a
 * configuration change {@link #CONFIG_CHANGE}.
 */
final class SimStateMachine {
    static final long NOOP = 0;
    static final long CONFIG_CHANGE = -1;

    private long[] values;
    private long applied;

    SimStateMachine(SnapshotImage image) {
        restore(image);
    }

    /** The value an entry contributes to the state. */
    static long valueOf(Entry entry) {
        if (entry.type() == EntryType.CONFIG_CHANGE) {
            return CONFIG_CHANGE;
        }
        byte[] data = entry.data();
        return data.length == 0 ? NOOP : ByteBuffer.wrap(data).getLong();
    }

    /** The payload of the client proposal with this id. */
    static byte[] payload(long proposalId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(proposalId).array();
    }

    long applied() {
        return applied;
    }

    /** Applies the next entry; the caller has checked that it is {@code applied() + 1}. */
    void apply(Entry entry) {
        long index = entry.index();
        if (index >= values.length) {
            values = Arrays.copyOf(values, Math.toIntExact(Math.max(index + 1, values.length * 2L)));
        }
        values[Math.toIntExact(index)] = valueOf(entry);
        applied = index;
    }

    void restore(SnapshotImage image) {
        values = Arrays.copyOf(image.values(), Math.toIntExact(Math.max(16, image.index() + 1)));
        applied = image.index();
    }

    SnapshotImage image() {
        return new SnapshotImage(applied, Arrays.copyOf(values, Math.toIntExact(applied + 1)));
    }

    /** The value applied at {@code index}; only meaningful for {@code index <= applied()}. */
    long valueAt(long index) {
        return values[Math.toIntExact(index)];
    }
}
