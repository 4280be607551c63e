package io.cairn.raft.sim;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The simulated network's fault model: which directed links are cut, and how likely a message is
 * to be dropped, duplicated or held back long enough to overtake others. It decides a message's
 * fate; {@link Simulation} carries it out.
 */
final class SimNetwork {
    private record Link(long from, long to) {
    }

    private final Set<Link> cut = new HashSet<>();
    private double dropChance;
    private double duplicateChance;
    private double slowChance;
    private final int maxDelay;
    private final int maxSlowDelay;

    SimNetwork(double dropChance, double duplicateChance, double slowChance, int maxDelay, int maxSlowDelay) {
        this.dropChance = dropChance;
        this.duplicateChance = duplicateChance;
        this.slowChance = slowChance;
        this.maxDelay = maxDelay;
        this.maxSlowDelay = maxSlowDelay;
    }

    boolean isCut(long from, long to) {
        return cut.contains(new Link(from, to));
    }

    /** Cuts both directions between every node of {@code side} and every node outside it. */
    void partition(Set<Long> side, Set<Long> everyone) {
        for (long a : side) {
            for (long b : everyone) {
                if (!side.contains(b)) {
                    cut.add(new Link(a, b));
                    cut.add(new Link(b, a));
                }
            }
        }
    }

    /**
     * Replaces every cut with a star: only links between {@code center} and each of
     * {@code leaves} work, so only the center can gather a majority of votes.
     */
    void star(long center, Set<Long> leaves, Set<Long> everyone) {
        cut.clear();
        for (long a : everyone) {
            for (long b : everyone) {
                boolean spoke = (a == center && leaves.contains(b)) || (b == center && leaves.contains(a));
                if (a != b && !spoke) {
                    cut.add(new Link(a, b));
                }
            }
        }
    }

    /** Cuts messages from {@code from} to {@code to} only. */
    void cutOneWay(long from, long to) {
        cut.add(new Link(from, to));
    }

    /** Restores every link. */
    void healPartitions() {
        cut.clear();
    }

    /** From now on nothing is dropped, duplicated or held back. */
    void makeReliable() {
        dropChance = 0;
        duplicateChance = 0;
        slowChance = 0;
    }

    void setDropChance(double chance) {
        dropChance = chance;
    }

    /**
     * Delays at which copies of a message arrive: none when it is lost, two when it is duplicated.
     * Cut links lose everything.
     */
    long[] deliveryDelays(long from, long to, Random random) {
        if (isCut(from, to) || random.nextDouble() < dropChance) {
            return new long[0];
        }
        long first = delay(random);
        if (random.nextDouble() < duplicateChance) {
            return new long[] {first, delay(random)};
        }
        return new long[] {first};
    }

    private long delay(Random random) {
        if (random.nextDouble() < slowChance) {
            return 1 + random.nextInt(maxSlowDelay);
        }
        return 1 + random.nextInt(maxDelay);
    }

    @Override
    public String toString() {
        TreeSet<String> links = new TreeSet<>();
        for (Link l : cut) {
            links.add(Long.toHexString(l.from) + "->" + Long.toHexString(l.to));
        }
        return "cut=" + links + String.format(" drop=%.2f dup=%.2f slow=%.2f", dropChance, duplicateChance, slowChance);
    }
}
