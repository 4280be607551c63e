package io.cairn.kv;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Collects what a watch delivers. */
class RecordingListener implements WatchListener {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final AtomicReference<CloseReason> closed = new AtomicReference<>();

    @Override
    public void onEvent(Event event) {
        events.add(event);
    }

    @Override
    public void onClose(CloseReason reason) {
        closed.set(reason);
    }

    List<String> keys() {
        return events.stream().map(e -> e.action().wireName() + " " + e.node().key()).toList();
    }
}
