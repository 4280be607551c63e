package io.cairn.kv;

import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;

/** Everything a client can observe of a store, for equality checks across stores. */
record StoreState(Event tree, long etcdIndex, long applied, List<Member> members, List<Event> history,
        String clearedCause) {

    /**
     * Captures the tree, indexes, members and the last {@code depth} indexes of history (each read
     * with a one-shot history watch; a watch with no history hit registers live and is cancelled).
     */
    static StoreState of(KvStore store, int depth) {
        Event tree = store.get("/", true, true);
        List<Event> history = new ArrayList<>();
        for (long i = Math.max(1, store.etcdIndex() - depth + 1); i <= store.etcdIndex(); i++) {
            long before = store.stats().watchers();
            RecordingListener l = new RecordingListener();
            WatchHandle h = store.watch("/", true, false, i, l);
            if (store.stats().watchers() > before) {
                h.cancel(); // nothing retained from i on
                continue;
            }
            await().until(() -> l.events.size() == 1);
            history.add(l.events.get(0));
        }
        String cleared = "";
        try {
            store.watch("/", true, false, 1, new RecordingListener()).cancel();
        } catch (EtcdException e) {
            cleared = e.causeText();
        }
        return new StoreState(tree, store.etcdIndex(), store.lastAppliedIndex(), store.members(), history, cleared);
    }
}
