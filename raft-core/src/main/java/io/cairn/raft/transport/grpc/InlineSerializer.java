package io.cairn.raft.transport.grpc;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on the thread that submits them when no other
 * thread is running tasks at that moment; otherwise the thread already running them picks the
 * task up before it returns. Nothing is handed to another thread, so a message the event loop
 * sends goes to the wire without waking a sender thread first.
 *
 * <p>Tasks must not block: they run on whatever thread submitted them (the node's event loop,
 * gRPC's callback thread, a timer).
 */
final class InlineSerializer {
    private static final Logger log = LoggerFactory.getLogger(InlineSerializer.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Tasks submitted and not yet run; the thread that raises it from zero runs them all. */
    private final AtomicInteger pending = new AtomicInteger();

    void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() != 0) {
            return; // the running thread will see it
        }
        int owned = 1;
        while (true) {
            for (int i = 0; i < owned; i++) {
                runQuietly(tasks.poll());
            }
            owned = pending.addAndGet(-owned);
            if (owned == 0) {
                return;
            }
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // One failing task must not strand the ones queued behind it.
            log.warn("peer sender task failed", e);
        }
    }
}
