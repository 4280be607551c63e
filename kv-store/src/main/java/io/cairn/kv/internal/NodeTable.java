package io.cairn.kv.internal;

import io.cairn.kv.proto.NodeRecord;
import java.util.List;

/** The stored tree as the store engine sees it: nodes by path and the TTL index. */
public interface NodeTable {

    /** A stored node (never the root, which is implicit). */
    record Stored(String path, NodeRecord record) {
    }

    /** A TTL index entry. */
    record TtlEntry(long expirationNanos, String path) {
    }

    /** The node at a clean path, or null. */
    NodeRecord get(String path);

    void put(String path, NodeRecord record);

    void delete(String path);

    /** Direct children of a directory, in byte-wise key order. */
    List<Stored> children(String dirPath);

    boolean hasChildren(String dirPath);

    void addTtl(long expirationNanos, String path);

    void removeTtl(long expirationNanos, String path);

    /** The entry with the earliest expiration, or null. */
    TtlEntry firstTtl();
}
