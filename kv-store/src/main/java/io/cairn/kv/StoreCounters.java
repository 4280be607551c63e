package io.cairn.kv;

import io.cairn.kv.proto.KeyOp;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * /v2/stats/store counters. Write outcomes are counted per applied batch and added only once the
 * batch is committed, so a failed batch (replayed later) is not counted twice.
 */
final class StoreCounters {
    private static final int GETS_SUCCESS = 0;
    private static final int GETS_FAIL = 1;
    private static final int EXPIRE = 14;
    private final AtomicLongArray counts = new AtomicLongArray(15);

    void getSucceeded() {
        counts.incrementAndGet(GETS_SUCCESS);
    }

    void getFailed() {
        counts.incrementAndGet(GETS_FAIL);
    }

    Pending pending() {
        return new Pending();
    }

    StoreStats snapshot(long watchers) {
        return new StoreStats(counts.get(0), counts.get(1), counts.get(2), counts.get(3), counts.get(4), counts.get(5),
                counts.get(6), counts.get(7), counts.get(8), counts.get(9), counts.get(10), counts.get(11),
                counts.get(12), counts.get(13), counts.get(14), watchers);
    }

    /** Slot of the success counter of an operation (failure is the next slot), in etcd's print order. */
    private static int successSlot(KeyOp op) {
        return switch (op) {
            case SET -> 2;
            case DELETE -> 4;
            case UPDATE -> 6;
            case CREATE, CREATE_IN_ORDER -> 8;
            case COMPARE_AND_SWAP -> 10;
            case COMPARE_AND_DELETE -> 12;
            default -> throw new IllegalArgumentException("no counter for " + op);
        };
    }

    /** Counts of one batch, added on {@link #commit()}. */
    final class Pending {
        private final long[] delta = new long[15];

        void success(KeyOp op) {
            delta[successSlot(op)]++;
        }

        void failure(KeyOp op) {
            delta[successSlot(op) + 1]++;
        }

        void expired() {
            delta[EXPIRE]++;
        }

        void commit() {
            for (int i = 0; i < delta.length; i++) {
                if (delta[i] != 0) {
                    counts.addAndGet(i, delta[i]);
                }
            }
        }
    }
}
