package io.cairn.kv.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte encodings of RocksDB keys.
 *
 * <p>Nodes are keyed by {@code depth (4 bytes, big-endian) + path (UTF-8)}, so the direct
 * children of a directory are exactly the keys starting with {@code depth+1 + dir + "/"}: one
 * contiguous range, in byte-wise name order (which is etcd's sorted order). Listing costs
 * O(children), not O(subtree).
 */
public final class NodeKeys {
    private NodeKeys() {
    }

    /** Key of the node at a clean path (never the root, which is not stored). */
    public static byte[] node(String path) {
        return withDepth(depth(path), path);
    }

    /** Common prefix of the keys of a directory's direct children. */
    public static byte[] childPrefix(String dirPath) {
        return withDepth(depth(dirPath) + 1, dirPath.equals("/") ? "/" : dirPath + "/");
    }

    /** The path of a node key. */
    public static String pathOf(byte[] nodeKey) {
        return new String(nodeKey, 4, nodeKey.length - 4, StandardCharsets.UTF_8);
    }

    /** TTL index key: expiration (sign-flipped, big-endian, so it sorts numerically) then path. */
    public static byte[] ttl(long expirationNanos, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + p.length).putLong(expirationNanos ^ Long.MIN_VALUE).put(p).array();
    }

    public static long ttlExpiration(byte[] ttlKey) {
        return ByteBuffer.wrap(ttlKey, 0, 8).getLong() ^ Long.MIN_VALUE;
    }

    public static String ttlPath(byte[] ttlKey) {
        return new String(ttlKey, 8, ttlKey.length - 8, StandardCharsets.UTF_8);
    }

    /** Event history key: the etcd index, big-endian. */
    public static byte[] event(long index) {
        return ByteBuffer.allocate(8).putLong(index).array();
    }

    public static long eventIndex(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    static int depth(String path) {
        if (path.equals("/")) {
            return 0;
        }
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    private static byte[] withDepth(int depth, String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + p.length).putInt(depth).put(p).array();
    }

    /** True when {@code key} starts with {@code prefix}. */
    public static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
