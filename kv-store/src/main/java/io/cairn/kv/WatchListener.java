package io.cairn.kv;

/**
 * Receives the events of one watch. Called on the store's watch-dispatch thread, never on the
 * apply thread; implementations must not block (hand the event to the network layer and return).
 */
public interface WatchListener {

    /** One matching event. A one-shot watch gets exactly one call and then ends. */
    void onEvent(Event event);

    /**
     * The watch ended without the caller cancelling it and (for a one-shot watch) without an event:
     * the client should retry (etcd's "200 with an empty body"). Called at most once; not called
     * after {@link WatchHandle#cancel()}.
     */
    default void onClose(CloseReason reason) {
    }

    /** Why a watch ended early. */
    enum CloseReason {
        /** The watcher fell more than its buffer behind and was dropped. */
        EVICTED,
        /** The store state was replaced by a snapshot; history before it is gone. */
        STORE_RESTORED,
        /** The store was closed. */
        STORE_CLOSED
    }
}
