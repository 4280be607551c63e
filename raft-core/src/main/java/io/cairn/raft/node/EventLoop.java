package io.cairn.raft.node;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns a node's core. Tasks from other threads queue in an inbox; the
 * loop runs everything queued, then calls the after-batch hook once (which turns the core's
 * pending work into a {@code Ready}), so bursts of messages and proposals are handled together.
 *
 * <p>External traffic (peer messages, user requests) is bounded: {@link #offerExternal} refuses
 * work beyond the bound. Internal completions (persisted, applied, snapshot sent) are always
 * accepted, because dropping one would wedge the node; they are naturally bounded by the work
 * in flight.
 */
final class EventLoop {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger externalQueued = new AtomicInteger();
    /** Set while a wake-up is queued, so a burst of proposals queues one wake-up, not thousands. */
    private final AtomicBoolean wakeUpQueued = new AtomicBoolean();
    private final int externalCapacity;
    private final Runnable afterBatch;
    private final Consumer<Throwable> onFatal;
    private final Thread thread;
    private volatile boolean running = true;

    EventLoop(String name, int externalCapacity, Runnable afterBatch, Consumer<Throwable> onFatal) {
        this.externalCapacity = externalCapacity;
        this.afterBatch = afterBatch;
        this.onFatal = onFatal;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues traffic from outside; false when the inbox is full (the caller drops or fails it). */
    boolean offerExternal(Runnable task) {
        if (!running) {
            return false;
        }
        if (externalQueued.incrementAndGet() > externalCapacity) {
            externalQueued.decrementAndGet();
            return false;
        }
        inbox.add(() -> {
            externalQueued.decrementAndGet();
            task.run();
        });
        return true;
    }

    /** Queues an internal completion; never refused while running. */
    void execute(Runnable task) {
        if (running) {
            inbox.add(task);
        }
    }

    /**
     * Makes the loop run its after-batch hook soon. The flag is cleared when the wake-up runs,
     * before the hook, so work registered after that point always queues a fresh wake-up.
     */
    void wakeUp() {
        if (wakeUpQueued.compareAndSet(false, true)) {
            execute(() -> wakeUpQueued.set(false));
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Stops the loop after the tasks already queued and waits for the thread to end. */
    void stop(long timeoutMillis) throws InterruptedException {
        if (inLoop()) {
            running = false;
            return;
        }
        inbox.add(() -> running = false);
        thread.join(timeoutMillis);
        if (thread.isAlive()) {
            running = false;
            thread.interrupt();
            thread.join(timeoutMillis);
        }
    }

    private void run() {
        try {
            while (running) {
                Runnable task = inbox.poll(1, TimeUnit.SECONDS);
                if (task == null) {
                    continue;
                }
                do {
                    task.run();
                    task = running ? inbox.poll() : null;
                } while (task != null);
                if (running) {
                    afterBatch.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            running = false;
            log.error("event loop {} failed", thread.getName(), t);
            onFatal.accept(t);
        }
    }
}
