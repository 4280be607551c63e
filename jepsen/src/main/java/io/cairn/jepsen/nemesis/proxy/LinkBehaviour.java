package io.cairn.jepsen.nemesis.proxy;

import java.time.Duration;
import java.util.Random;

/**
 * What a proxied link does to the bytes that cross it: hold each chunk for {@code delay} plus up
 * to {@code jitter} (order is kept), and cut a random slice out of a chunk with probability
 * {@code dropProbability}, which corrupts the byte stream the receiver sees.
 */
public record LinkBehaviour(Duration delay, Duration jitter, double dropProbability) {
    /** A clean pass-through. */
    public static final LinkBehaviour CLEAN = new LinkBehaviour(Duration.ZERO, Duration.ZERO, 0);

    public LinkBehaviour {
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("delay and jitter must not be negative: " + delay + ", " + jitter);
        }
        if (!(dropProbability >= 0 && dropProbability <= 1)) {
            throw new IllegalArgumentException("drop probability must be within [0, 1]: " + dropProbability);
        }
    }

    public static LinkBehaviour delayed(Duration delay, Duration jitter) {
        return new LinkBehaviour(delay, jitter, 0);
    }

    public static LinkBehaviour dropping(double probability) {
        return new LinkBehaviour(Duration.ZERO, Duration.ZERO, probability);
    }

    public boolean isClean() {
        return delay.isZero() && jitter.isZero() && dropProbability == 0;
    }

    /** How long the next chunk is held. */
    long holdNanos(Random random) {
        long jitterNanos = jitter.toNanos();
        return delay.toNanos() + (jitterNanos == 0 ? 0 : (long) (random.nextDouble() * jitterNanos));
    }

    boolean damages(Random random) {
        return dropProbability > 0 && random.nextDouble() < dropProbability;
    }

    @Override
    public String toString() {
        if (isClean()) {
            return "clean";
        }
        StringBuilder s = new StringBuilder();
        if (!delay.isZero() || !jitter.isZero()) {
            s.append("delay ").append(delay.toMillis()).append("+").append(jitter.toMillis()).append(" ms");
        }
        if (dropProbability > 0) {
            s.append(s.isEmpty() ? "" : ", ").append(String.format(java.util.Locale.ROOT, "cut %.0f%% of chunks",
                    dropProbability * 100));
        }
        return s.toString();
    }
}
