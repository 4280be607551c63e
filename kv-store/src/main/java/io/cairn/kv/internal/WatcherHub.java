package io.cairn.kv.internal;

import io.cairn.kv.Event;
import io.cairn.kv.KeyPaths;
import io.cairn.kv.WatchHandle;
import io.cairn.kv.WatchListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watchers by path plus the event history, under one lock so that registering a watch (history
 * scan, then registration) never misses an event published meanwhile. The apply thread publishes
 * after each committed batch; delivery happens on a dispatch thread.
 *
 * <p>A batch that removes nodes asks, while it is applied, which removed paths are watched (etcd
 * notifies those watchers of the removal). From its first such question until it is published it
 * holds the lock, so a watch registers either before every question (and is notified) or after
 * the publication (and starts after the removal): never in between, where it would miss it.
 */
public final class WatcherHub implements AutoCloseable {
    /** Something to publish after a commit: an event with the removed paths to notify, or an internal record. */
    public record Published(long index, Event event, List<String> removedWatchedPaths) {
        public static Published internal(long index) {
            return new Published(index, null, List.of());
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<Watcher>> byPath = new HashMap<>();
    private final EventHistory history;
    private final int bufferSize;
    private final ExecutorService dispatcher;
    private long currentIndex;
    private int count;

    public WatcherHub(int historySize, int bufferSize, long currentIndex) {
        this.history = new EventHistory(historySize);
        this.bufferSize = bufferSize;
        this.currentIndex = currentIndex;
        this.dispatcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kv-watch-dispatch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers a watch (spec 9.2-9.3). */
    public WatchHandle watch(String key, boolean recursive, boolean stream, long waitIndex,
            WatchListener listener) {
        lock.lock();
        try {
            String path = KeyPaths.clean(key);
            long since = waitIndex == 0 ? currentIndex + 1 : waitIndex;
            List<Event> past = history.scan(path, recursive, since, currentIndex, stream ? Integer.MAX_VALUE : 1);
            Watcher w;
            if (!past.isEmpty() && !stream) {
                // Answered from history: never registered (etcd does the same).
                w = new Watcher(path, recursive, false, since, currentIndex, listener, 1, dispatcher, this);
                w.offer(past.get(0));
                return w;
            }
            // A stream watch replays every matching retained event, then continues live.
            long liveSince = past.isEmpty() ? since : Math.max(since, currentIndex + 1);
            w = new Watcher(path, recursive, stream, liveSince, currentIndex, listener,
                    Math.max(bufferSize, past.size() + 1), dispatcher, this);
            for (Event e : past) {
                w.offer(e);
            }
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(w);
            count++;
            return w;
        } finally {
            lock.unlock();
        }
    }

    /** The apply thread's view of the watchers for one batch; close it once the batch is published or abandoned. */
    public RemovalCheck removalCheck() {
        return new RemovalCheck();
    }

    /** See the class comment: the first question takes the hub's lock, {@link #close()} gives it back. */
    public final class RemovalCheck implements AutoCloseable {
        private boolean locked;

        private RemovalCheck() {
        }

        /** True when a watcher is registered exactly on {@code path}. */
        public boolean isWatched(String path) {
            if (!locked) {
                lock.lock();
                locked = true;
            }
            return byPath.containsKey(path);
        }

        @Override
        public void close() {
            if (locked) {
                locked = false;
                lock.unlock();
            }
        }
    }

    /** Number of registered live watchers (/v2/stats/store {@code watchers}). */
    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Records and delivers what one committed batch produced, in index order. */
    public void publish(List<Published> batch, long newIndex) {
        lock.lock();
        try {
            for (Published p : batch) {
                history.add(new EventHistory.Slot(p.index(), p.event()));
                Event e = p.event();
                if (e == null || e.refresh()) {
                    continue; // refreshes are recorded but never delivered (spec 8.6a)
                }
                for (String removed : p.removedWatchedPaths()) {
                    notifyAt(e, removed, true);
                }
                String key = e.node().key();
                notifyAt(e, "/", false);
                for (int slash = key.indexOf('/', 1); ; slash = key.indexOf('/', slash + 1)) {
                    String prefix = slash < 0 ? key : key.substring(0, slash);
                    if (!prefix.equals("/")) {
                        notifyAt(e, prefix, false);
                    }
                    if (slash < 0) {
                        break;
                    }
                }
            }
            currentIndex = newIndex;
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the history (after open or restore) and ends every live watch. */
    public void reset(List<Published> retained, long newIndex, WatchListener.CloseReason reason) {
        lock.lock();
        try {
            for (List<Watcher> list : byPath.values()) {
                for (Watcher w : list) {
                    w.close(reason);
                }
            }
            byPath.clear();
            count = 0;
            history.clear();
            for (Published p : retained) {
                history.add(new EventHistory.Slot(p.index(), p.event()));
            }
            currentIndex = newIndex;
        } finally {
            lock.unlock();
        }
    }

    void remove(Watcher w) {
        lock.lock();
        try {
            List<Watcher> list = byPath.get(w.key);
            if (list != null && list.remove(w)) {
                count--;
                if (list.isEmpty()) {
                    byPath.remove(w.key);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** etcd's notifyWatchers: exact-path, recursive and removal matches, with the hidden-key filter. */
    private void notifyAt(Event e, String watchPath, boolean removed) {
        List<Watcher> list = byPath.get(watchPath);
        if (list == null) {
            return;
        }
        boolean originalPath = e.node().key().equals(watchPath);
        if (!originalPath && isHidden(watchPath, e.node().key())) {
            return;
        }
        for (Watcher w : List.copyOf(list)) {
            if ((w.recursive || originalPath || removed) && e.index() >= w.sinceIndex) {
                boolean accepted = w.offer(e);
                if (!accepted) {
                    remove(w);
                    w.close(WatchListener.CloseReason.EVICTED);
                } else if (!w.stream) {
                    remove(w);
                }
            }
        }
    }

    /** True when the part of {@code key} below {@code watchPath} has a segment starting with {@code _}. */
    static boolean isHidden(String watchPath, String key) {
        if (watchPath.length() > key.length()) {
            return false;
        }
        String after = KeyPaths.clean("/" + key.substring(watchPath.length()));
        return after.contains("/_");
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (List<Watcher> list : byPath.values()) {
                for (Watcher w : list) {
                    w.close(WatchListener.CloseReason.STORE_CLOSED);
                }
            }
            byPath.clear();
            count = 0;
        } finally {
            lock.unlock();
        }
        dispatcher.shutdown();
    }
}
