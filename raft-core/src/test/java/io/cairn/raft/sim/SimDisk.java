package io.cairn.raft.sim;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.LogReader;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;

/**
 * A simulated disk with a volatile write cache. Writes land in {@link #written()} at once (that is
 * what the core believes its log to be) and become durable one at a time, in order, when the
 * runtime calls {@link #syncNext()}. A crash keeps the durable state plus a random prefix of the
 * unsynced writes, the way a power cut may or may not have flushed the cache.
 *
 * <p>The {@link LogReader} view the core reads is the durable one only.
 */
final class SimDisk implements LogReader {
    private SimLog durable;
    private SimLog written;
    private final ArrayDeque<SimWrite> unsynced = new ArrayDeque<>();

    SimDisk(SnapshotMetadata bootstrap) {
        this(bootstrap, false);
    }

    /** With {@code keepsTermBeforeFirst}, the reader also knows the term just before its first entry. */
    SimDisk(SnapshotMetadata bootstrap, boolean keepsTermBeforeFirst) {
        this.durable = new SimLog(bootstrap, keepsTermBeforeFirst);
        this.written = durable.copy();
    }

    /** Queues a write; it is visible in {@link #written()} now and durable after {@link #syncNext()}. */
    void write(SimWrite write) {
        written.apply(write);
        unsynced.addLast(write);
    }

    /** Makes the oldest unsynced write durable. */
    SimWrite syncNext() {
        SimWrite write = unsynced.removeFirst();
        durable.apply(write);
        return write;
    }

    int unsyncedWrites() {
        return unsynced.size();
    }

    /**
     * Loses power: each unsynced write, oldest first, survives with probability
     * {@code surviveChance} until the first one that does not; everything after it is lost.
     *
     * @return how many unsynced writes survived
     */
    int crash(Random random, double surviveChance) {
        int survived = 0;
        while (!unsynced.isEmpty() && random.nextDouble() < surviveChance) {
            durable.apply(unsynced.removeFirst());
            survived++;
        }
        unsynced.clear();
        written = durable.copy();
        return survived;
    }

    /** Records a locally taken snapshot and compacts the log behind it (durable at once). */
    void compact(SnapshotMetadata meta, SnapshotImage image, long keepFrom) {
        durable.compact(meta, image, keepFrom);
        written.compact(meta, image, keepFrom);
    }

    /** What is durable: survives any crash. */
    SimLog durable() {
        return durable;
    }

    /** What has been written, durable or not: the core's own view of its log. */
    SimLog written() {
        return written;
    }

    @Override
    public HardState hardState() {
        return durable.hardState();
    }

    @Override
    public SnapshotMetadata snapshot() {
        return durable.snapshot();
    }

    @Override
    public long firstIndex() {
        return durable.firstIndex();
    }

    @Override
    public long lastIndex() {
        return durable.lastIndex();
    }

    @Override
    public long term(long index) {
        return durable.term(index);
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        return durable.entries(from, to, maxBytes);
    }

    @Override
    public String toString() {
        return "disk[durable=" + durable + " unsynced=" + unsynced.size() + "]";
    }
}
