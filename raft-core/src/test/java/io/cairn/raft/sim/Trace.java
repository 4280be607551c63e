package io.cairn.raft.sim;

import java.util.function.Supplier;

/**
 * The last events of a run, kept in a ring buffer and rendered only when a run fails, so a
 * violation comes with a readable history at almost no cost for the runs that pass.
 */
final class Trace {
    private final long[] times;
    private final Object[] lines;
    private long count;

    Trace(int capacity) {
        this.times = new long[capacity];
        this.lines = new Object[capacity];
    }

    /** Records an event whose description is built only if the trace is ever printed. */
    void record(long time, Supplier<String> description) {
        int slot = (int) (count++ % times.length);
        times[slot] = time;
        lines[slot] = description;
    }

    /** Records an event with a description at hand. */
    void note(long time, String description) {
        int slot = (int) (count++ % times.length);
        times[slot] = time;
        lines[slot] = description;
    }

    long events() {
        return count;
    }

    /** The retained events, oldest first, one per line. */
    String render() {
        StringBuilder out = new StringBuilder();
        long from = Math.max(0, count - times.length);
        if (from > 0) {
            out.append("  ... ").append(from).append(" earlier events\n");
        }
        for (long i = from; i < count; i++) {
            int slot = (int) (i % times.length);
            Object line = lines[slot];
            String text = line instanceof Supplier<?> s ? String.valueOf(s.get()) : String.valueOf(line);
            out.append(String.format("  t=%6d  %s%n", times[slot], text));
        }
        return out.toString();
    }
}
