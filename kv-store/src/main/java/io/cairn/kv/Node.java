package io.cairn.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A node as etcd v2 shows it: a file (with a value) or a directory (with children when listed).
 * The HTTP layer encodes it in etcd's field order: {@code key} (omitted for the root),
 * {@code value} (when non-null), {@code dir} (when true), {@code expiration} and {@code ttl} (when
 * {@link #expiration()} is set, {@code ttl} when non-zero), {@code nodes} (when non-null and
 * non-empty), {@code modifiedIndex}, {@code createdIndex} (omitted when 0, as for the root).
 *
 * @param key the full key, always starting with {@code /}; {@code "/"} for the root
 * @param value the value of a file; null for directories and for the node of delete,
 *     compareAndDelete and expire events
 * @param dir whether this is a directory
 * @param expiration the absolute expiration instant, null when the node is permanent
 * @param ttl remaining seconds as etcd computed them when the event happened (for writes and
 *     history: at the command's time; for gets: at read time); 0 means "omit"
 * @param createdIndex etcd index that created the node (0 for the root)
 * @param modifiedIndex etcd index of the last change (0 for the root)
 * @param nodes listed children (visible ones only), null when not listed
 */
public record Node(String key, String value, boolean dir, Instant expiration, long ttl, long createdIndex,
        long modifiedIndex, List<Node> nodes) {

    public Node {
        Objects.requireNonNull(key, "key");
        nodes = nodes == null ? null : List.copyOf(nodes);
    }

    /** True for the root directory, whose key and indexes are not shown. */
    public boolean isRoot() {
        return key.equals("/");
    }

    /**
     * The {@code ttl} field as etcd computes it when serving: remaining time rounded up to whole
     * seconds (Go's truncating division plus one when the remainder is positive). 0 means "omit".
     *
     * @param expiration the node's expiration, null when permanent
     * @param now the reference time
     * @return remaining seconds; 0 when the node has no expiration
     */
    public static long ttlSeconds(Instant expiration, Instant now) {
        if (expiration == null) {
            return 0;
        }
        Duration left = Duration.between(now, expiration);
        long seconds = left.getSeconds();
        int nanos = left.getNano();
        // Duration keeps nanos positive; convert to Go's truncation toward zero.
        if (seconds < 0 && nanos > 0) {
            seconds += 1;
            return seconds;
        }
        return nanos > 0 ? seconds + 1 : seconds;
    }

    /** A copy without the {@code nodes} listing. */
    public Node withoutChildren() {
        return nodes == null ? this : new Node(key, value, dir, expiration, ttl, createdIndex, modifiedIndex, null);
    }
}
