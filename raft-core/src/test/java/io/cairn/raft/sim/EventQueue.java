package io.cairn.raft.sim;

import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * Virtual time: events ordered by (time, order of scheduling), so runs are reproducible even when
 * many events fall on the same instant.
 */
final class EventQueue {
    private record Scheduled(long time, long sequence, Supplier<String> description, Runnable action)
            implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int byTime = Long.compare(time, o.time);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private final Trace trace;
    private long now;
    private long sequence;

    EventQueue(Trace trace) {
        this.trace = trace;
    }

    long now() {
        return now;
    }

    /** Schedules {@code action} after {@code delay} (at least 0) units of virtual time. */
    void after(long delay, Supplier<String> description, Runnable action) {
        queue.add(new Scheduled(now + Math.max(0, delay), sequence++, description, action));
    }

    /** Runs the earliest event, unless it lies after {@code deadline}. */
    boolean runNextBefore(long deadline) {
        Scheduled next = queue.peek();
        if (next == null || next.time > deadline) {
            now = Math.max(now, deadline);
            return false;
        }
        queue.poll();
        now = next.time;
        trace.record(now, next.description);
        next.action.run();
        return true;
    }

    int pending() {
        return queue.size();
    }
}
