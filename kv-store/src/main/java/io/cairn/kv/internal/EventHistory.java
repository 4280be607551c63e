package io.cairn.kv.internal;

import io.cairn.kv.Action;
import io.cairn.kv.ErrorCode;
import io.cairn.kv.EtcdException;
import io.cairn.kv.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last N events by index (etcd's EventHistory). Every index is one event, including internal
 * membership records, which occupy a slot but never match a /v2/keys watch. Not thread-safe: the
 * {@link WatcherHub} guards it.
 */
final class EventHistory {
    /** One history slot; {@code event} is null for internal records. */
    record Slot(long index, Event event) {
    }

    private final int capacity;
    private final ArrayDeque<Slot> slots;

    EventHistory(int capacity) {
        this.capacity = capacity;
        this.slots = new ArrayDeque<>(capacity);
    }

    void add(Slot slot) {
        if (slots.size() == capacity) {
            slots.removeFirst();
        }
        slots.addLast(slot);
    }

    void clear() {
        slots.clear();
    }

    /** Index of the oldest retained event, 0 when empty. */
    long oldestIndex() {
        return slots.isEmpty() ? 0 : slots.getFirst().index();
    }

    long lastIndex() {
        return slots.isEmpty() ? 0 : slots.getLast().index();
    }

    /**
     * Matching non-refresh events with index >= {@code waitIndex}, oldest first, at most {@code limit}.
     *
     * @throws EtcdException 401 when {@code waitIndex} is older than the oldest retained event
     */
    List<Event> scan(String key, boolean recursive, long waitIndex, long storeIndex, int limit) {
        if (waitIndex < oldestIndex()) {
            throw new EtcdException(ErrorCode.EVENT_INDEX_CLEARED,
                    "the requested history has been cleared [" + oldestIndex() + "/" + waitIndex + "]", storeIndex);
        }
        List<Event> found = new ArrayList<>();
        if (waitIndex > lastIndex()) {
            return found;
        }
        Iterator<Slot> it = slots.descendingIterator();
        List<Slot> tail = new ArrayList<>();
        while (it.hasNext()) {
            Slot s = it.next();
            if (s.index() < waitIndex) {
                break;
            }
            tail.add(s);
        }
        for (int i = tail.size() - 1; i >= 0 && found.size() < limit; i--) {
            Event e = tail.get(i).event();
            if (e != null && !e.refresh() && matches(e, key, recursive)) {
                found.add(e);
            }
        }
        return found;
    }

    /** etcd's history matching, quirks included (spec 9.4: plain string-prefix test for dir removals). */
    private static boolean matches(Event e, String key, boolean recursive) {
        String eventKey = e.node().key();
        if (eventKey.equals(key)) {
            return true;
        }
        if (recursive && eventKey.startsWith(key.endsWith("/") ? key : key + "/")) {
            return true;
        }
        return (e.action() == Action.DELETE || e.action() == Action.EXPIRE) && e.prevNode() != null
                && e.prevNode().dir() && key.startsWith(e.prevNode().key());
    }
}
