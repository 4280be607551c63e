package io.cairn.kv;

import java.util.List;
import java.util.Optional;

/**
 * The read side of the etcd v2 store, served locally (never through raft). Writes go through raft
 * as commands built by {@link KvCommands} and applied by {@link KvStateMachine}. Thread-safe.
 */
public interface KvStore {

    /**
     * Reads a node ({@code GET /v2/keys/K}).
     *
     * @param key the key (cleaned with {@link KeyPaths#clean})
     * @param recursive list the whole visible sub-tree of a directory
     * @param sorted sort every listing by key (byte-wise); unsorted listings are also returned in
     *     key order (spec 18.3 latitude)
     * @return a {@code get} event whose {@code etcdIndex} is the index the read saw
     * @throws EtcdException 100 (cause = first missing component) or 104 (path through a file)
     */
    Event get(String key, boolean recursive, boolean sorted);

    /**
     * The earliest expiration of any node, if some node has a TTL. The leader's expiry ticker (every
     * 500 ms in etcd) proposes {@link KvCommands#expire()} only when this is at or before its clock,
     * so an idle store with no due TTL costs no raft entries.
     */
    Optional<java.time.Instant> nextExpiration();

    /** The current etcd index ({@code X-Etcd-Index}). */
    long etcdIndex();

    /** The raft index of the last applied entry. */
    long lastAppliedIndex();

    /**
     * Registers a watch ({@code GET /v2/keys/K?wait=true}, spec section 9).
     *
     * @param key the watched key (need not exist)
     * @param recursive also match events strictly below the key
     * @param stream deliver every matching event until cancelled; otherwise the first one only
     * @param waitIndex first index of interest; 0 = the next event. A waitIndex still in the
     *     history is answered from it (delivered asynchronously to the listener)
     * @param listener receives events on the watch-dispatch thread
     * @throws EtcdException 401 when {@code waitIndex} is older than the retained history
     */
    WatchHandle watch(String key, boolean recursive, boolean stream, long waitIndex, WatchListener listener);

    /** Members ordered by numeric id ascending (unsigned), as /v2/members lists them. */
    List<Member> members();

    /** One member, if it is currently in the cluster. */
    Optional<Member> member(long id);

    /** True when the id was removed from the cluster (it can never come back: HTTP 410). */
    boolean isRemoved(long id);

    /** The cluster version recorded through raft, if decided. */
    Optional<String> clusterVersion();

    /** The cluster id recorded through raft, 0 while unknown. */
    long clusterId();

    /** The /v2/stats/store counters. */
    StoreStats stats();
}
