package io.cairn.kv;

/** A registered watch. */
public interface WatchHandle {

    /**
     * The etcd index when the watch was registered: the {@code X-Etcd-Index} of the watch response
     * (spec 9.7), even when the event comes from history.
     */
    long etcdIndex();

    /** Stops the watch (client disconnected); idempotent. No callback follows. */
    void cancel();

    /** True until the watch delivered its one-shot event, was cancelled or was closed. */
    boolean isActive();
}
