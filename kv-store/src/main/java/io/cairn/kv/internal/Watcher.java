package io.cairn.kv.internal;

import io.cairn.kv.Event;
import io.cairn.kv.WatchHandle;
import io.cairn.kv.WatchListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a bounded event buffer filled by the apply thread (never blocking it) and drained on
 * the dispatch executor into the listener.
 */
final class Watcher implements WatchHandle {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    final String key;
    final boolean recursive;
    final boolean stream;
    final long sinceIndex;
    private final long etcdIndex;
    private final WatchListener listener;
    private final ArrayBlockingQueue<Event> buffer;
    private final Executor dispatcher;
    private final WatcherHub hub;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile boolean finished;
    private volatile WatchListener.CloseReason closeReason;
    private boolean closeDelivered;
    private boolean eventDelivered;

    Watcher(String key, boolean recursive, boolean stream, long sinceIndex, long etcdIndex, WatchListener listener,
            int bufferSize, Executor dispatcher, WatcherHub hub) {
        this.key = key;
        this.recursive = recursive;
        this.stream = stream;
        this.sinceIndex = sinceIndex;
        this.etcdIndex = etcdIndex;
        this.listener = listener;
        this.buffer = new ArrayBlockingQueue<>(bufferSize);
        this.dispatcher = dispatcher;
        this.hub = hub;
    }

    @Override
    public long etcdIndex() {
        return etcdIndex;
    }

    @Override
    public void cancel() {
        cancelled = true;
        hub.remove(this);
    }

    @Override
    public boolean isActive() {
        return !cancelled && !finished && closeReason == null;
    }

    /** Buffers an event; false when the buffer is full (the caller then evicts this watcher). */
    boolean offer(Event e) {
        boolean accepted = buffer.offer(e);
        scheduleDrain();
        return accepted;
    }

    /** Ends the watch early; buffered events are still delivered first. */
    void close(WatchListener.CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            dispatcher.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Event e;
            while ((e = buffer.poll()) != null) {
                deliver(e);
            }
            WatchListener.CloseReason reason = closeReason;
            if (reason != null && !closeDelivered && !cancelled && !(finished && !stream)) {
                closeDelivered = true;
                listener.onClose(reason);
            }
        } catch (RuntimeException failure) {
            LOG.warn("watch listener on {} failed; dropping the watch", key, failure);
            cancel();
        } finally {
            drainScheduled.set(false);
            if (!buffer.isEmpty() || (closeReason != null && !closeDelivered && !cancelled)) {
                if (!(finished && !stream)) {
                    scheduleDrain();
                }
            }
        }
    }

    private void deliver(Event e) {
        if (cancelled || (!stream && eventDelivered)) {
            return;
        }
        eventDelivered = true;
        if (!stream) {
            finished = true;
        }
        listener.onEvent(e);
    }
}
