package io.cairn.raft.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * A bounded queue drained by one thread in batches: whatever arrived while the previous batch was
 * being written is handed over at once, which is what lets one fsync cover many requests.
 * {@link #submit} blocks while the queue is full.
 */
final class GroupCommitQueue<T> implements AutoCloseable {
    private final BlockingQueue<Object> queue;
    private final Consumer<List<T>> batchHandler;
    private final Thread thread;
    private final Object stop = new Object();
    private volatile boolean closed;

    GroupCommitQueue(String threadName, int capacity, Consumer<List<T>> batchHandler) {
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // room for the stop marker
        this.batchHandler = batchHandler;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues {@code task}, waiting for room. From the writer thread itself (a callback of a
     * completed task) it never waits, since only that thread makes room: it fails instead.
     *
     * @return false if the queue is closed (the task was not queued)
     * @throws IllegalStateException if called on the writer thread while the queue is full
     */
    boolean submit(T task) throws InterruptedException {
        // Tasks racing with close() may slip in before the stop marker; they are still handled.
        if (closed) {
            return false;
        }
        if (Thread.currentThread() == thread) {
            if (!queue.offer(task)) {
                throw new IllegalStateException("queue full, and the writer thread cannot wait for itself");
            }
            return true;
        }
        queue.put(task);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void run() {
        List<Object> drained = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                drained.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(drained);
            List<T> batch = new ArrayList<>(drained.size());
            for (Object o : drained) {
                if (o == stop) {
                    stopping = true;
                } else {
                    batch.add((T) o);
                }
            }
            drained.clear();
            if (!batch.isEmpty()) {
                batchHandler.accept(batch);
            }
        }
    }

    /** Handles everything queued before this call, then stops the thread. */
    @Override
    public void close() {
        closeAndDrain();
    }

    /**
     * Like {@link #close()}, and returns tasks that raced past the closed check and arrived after
     * the stop marker: the caller must fail them.
     */
    @SuppressWarnings("unchecked")
    List<T> closeAndDrain() {
        List<T> late = new ArrayList<>();
        if (closed) {
            return late;
        }
        closed = true;
        try {
            queue.put(stop);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Object> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Object o : rest) {
            late.add((T) o);
        }
        return late;
    }
}
