package io.cairn.raft.transport.grpc;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential reconnect backoff with "equal jitter": the n-th delay is drawn uniformly from
 * [d/2, d] where d = min(max, initial * 2^n), so peers that lost a common neighbour do not retry
 * in lockstep, yet a delay never collapses to zero. Not thread-safe; each peer owns one.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final Random random;
    private int attempt;

    Backoff(Duration initial, Duration max, Random random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the ceiling up to the maximum. */
    Duration next() {
        // attempt stops growing once the ceiling reaches max, so the shift never overflows
        long ceiling = Math.min(maxNanos, initialNanos << attempt);
        if (ceiling < maxNanos) {
            attempt++;
        }
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.nextDouble() * (ceiling - half)));
    }

    /** Called once a connection is known to work: the next failure starts from the beginning. */
    void reset() {
        attempt = 0;
    }
}
