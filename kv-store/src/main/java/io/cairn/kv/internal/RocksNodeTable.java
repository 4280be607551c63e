package io.cairn.kv.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.kv.proto.NodeRecord;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * {@link NodeTable} over RocksDB. With a batch it reads through the batch (so an applied batch sees
 * its own earlier writes) and writes into it; without one it is a read-only view of a snapshot.
 */
public final class RocksNodeTable implements NodeTable {
    private static final byte[] EMPTY = new byte[0];

    /** Marks a node deleted in this batch inside {@link #cache}. */
    private static final NodeRecord ABSENT = NodeRecord.newBuilder().setValue("\u0000absent").build();

    private final StoreDb store;
    private final ReadOptions readOptions;
    private final WriteBatchWithIndex batch;
    /**
     * Nodes read or written through this batch: parents are looked up by every entry of a batch,
     * and a cache hit skips a native call. Bounded by what the batch touches.
     */
    private final java.util.HashMap<String, NodeRecord> cache = new java.util.HashMap<>();
    /** Committed nodes across batches; consulted on a miss in {@link #cache}; may be null. */
    private final NodeCache committed;

    /**
     * @param readOptions options of every read (may carry a snapshot)
     * @param batch the batch to read through and write to, or null for a read-only view
     */
    public RocksNodeTable(StoreDb store, ReadOptions readOptions, WriteBatchWithIndex batch) {
        this(store, readOptions, batch, null);
    }

    /**
     * A table over {@code batch} that also reads from, and after the batch is written feeds
     * (see {@link #publishCommitted}), the cache of committed nodes.
     */
    public RocksNodeTable(StoreDb store, ReadOptions readOptions, WriteBatchWithIndex batch, NodeCache committed) {
        if (committed != null && batch == null) {
            throw new IllegalArgumentException("the committed-node cache is for the applying batch only");
        }
        this.store = store;
        this.readOptions = readOptions;
        this.batch = batch;
        this.committed = committed;
    }

    @Override
    public NodeRecord get(String path) {
        NodeRecord cached = cache.get(path);
        if (cached == null && committed != null) {
            // Not touched by this batch, so the committed state is the current one.
            cached = committed.get(path);
            if (cached != null) {
                cache.put(path, cached);
            }
        }
        if (cached != null) {
            return cached == ABSENT ? null : cached;
        }
        byte[] raw = read(store.nodes(), NodeKeys.node(path));
        NodeRecord record = raw == null ? null : parse(raw);
        if (batch != null) {
            cache.put(path, record == null ? ABSENT : record);
        }
        return record;
    }

    @Override
    public void put(String path, NodeRecord record) {
        write(store.nodes(), NodeKeys.node(path), record.toByteArray());
        cache.put(path, record);
    }

    @Override
    public void delete(String path) {
        remove(store.nodes(), NodeKeys.node(path));
        cache.put(path, ABSENT);
    }

    /**
     * Hands every node this batch read or wrote, as the batch left it, to the committed-node cache.
     * Call only once the batch is written: before that the cache would hold uncommitted state.
     */
    public void publishCommitted() {
        if (committed == null) {
            return;
        }
        cache.forEach(committed::put);
    }

    @Override
    public List<Stored> children(String dirPath) {
        byte[] prefix = NodeKeys.childPrefix(dirPath);
        List<Stored> out = new ArrayList<>();
        try (RocksIterator it = iterator(store.nodes())) {
            for (it.seek(prefix); it.isValid() && NodeKeys.startsWith(it.key(), prefix); it.next()) {
                out.add(new Stored(NodeKeys.pathOf(it.key()), parse(it.value())));
            }
        }
        return out;
    }

    @Override
    public boolean hasChildren(String dirPath) {
        byte[] prefix = NodeKeys.childPrefix(dirPath);
        try (RocksIterator it = iterator(store.nodes())) {
            it.seek(prefix);
            return it.isValid() && NodeKeys.startsWith(it.key(), prefix);
        }
    }

    @Override
    public void addTtl(long expirationNanos, String path) {
        write(store.ttl(), NodeKeys.ttl(expirationNanos, path), EMPTY);
    }

    @Override
    public void removeTtl(long expirationNanos, String path) {
        remove(store.ttl(), NodeKeys.ttl(expirationNanos, path));
    }

    @Override
    public TtlEntry firstTtl() {
        try (RocksIterator it = iterator(store.ttl())) {
            it.seekToFirst();
            if (!it.isValid()) {
                return null;
            }
            byte[] key = it.key();
            return new TtlEntry(NodeKeys.ttlExpiration(key), NodeKeys.ttlPath(key));
        }
    }

    private byte[] read(ColumnFamilyHandle cf, byte[] key) {
        try {
            return batch == null ? store.db().get(cf, readOptions, key)
                    : batch.getFromBatchAndDB(store.db(), cf, readOptions, key);
        } catch (RocksDBException e) {
            throw new StoreFailure("read failed", e);
        }
    }

    private void write(ColumnFamilyHandle cf, byte[] key, byte[] value) {
        requireBatch();
        try {
            batch.put(cf, key, value);
        } catch (RocksDBException e) {
            throw new StoreFailure("batch put failed", e);
        }
    }

    private void remove(ColumnFamilyHandle cf, byte[] key) {
        requireBatch();
        try {
            batch.delete(cf, key);
        } catch (RocksDBException e) {
            throw new StoreFailure("batch delete failed", e);
        }
    }

    private RocksIterator iterator(ColumnFamilyHandle cf) {
        RocksIterator base = store.db().newIterator(cf, readOptions);
        return batch == null ? base : batch.newIteratorWithBase(cf, base);
    }

    private void requireBatch() {
        if (batch == null) {
            throw new IllegalStateException("read-only view");
        }
    }

    private static NodeRecord parse(byte[] raw) {
        try {
            return NodeRecord.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreFailure("corrupt node record", e);
        }
    }
}
