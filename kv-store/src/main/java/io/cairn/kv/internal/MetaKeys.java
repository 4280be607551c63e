package io.cairn.kv.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;

/** Keys and value encodings of the {@code meta} column family. */
public final class MetaKeys {
    public static final byte[] APPLIED = bytes("applied");
    public static final byte[] ETCD_INDEX = bytes("etcdIndex");
    static final byte[] CLUSTER_VERSION = bytes("clusterVersion");
    static final byte[] CLUSTER_ID = bytes("clusterId");
    static final String MEMBER_PREFIX = "member/";
    static final String REMOVED_PREFIX = "removed/";

    private MetaKeys() {
    }

    public static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    /** Reads a long (0 when absent), optionally from a snapshot. */
    public static long readLong(StoreDb store, ReadOptions reads, byte[] key) {
        try {
            byte[] raw = reads == null ? store.db().get(store.meta(), key) : store.db().get(store.meta(), reads, key);
            return raw == null ? 0 : ByteBuffer.wrap(raw).getLong();
        } catch (RocksDBException e) {
            throw new StoreFailure("meta read failed", e);
        }
    }

    static byte[] member(long id) {
        return bytes(MEMBER_PREFIX + String.format("%016x", id));
    }

    static byte[] removed(long id) {
        return bytes(REMOVED_PREFIX + String.format("%016x", id));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
