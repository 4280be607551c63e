package io.cairn.kv.internal;

import io.cairn.kv.KvStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBufferManager;

/**
 * One open RocksDB database with the store's column families: {@code nodes} (path → node record),
 * {@code ttl} (expiration+path → empty, for expiry sweeps), {@code meta} (applied raft index, etcd
 * index, membership) and {@code events} (the last N events by index, for waitIndex).
 * Memory is capped: one LRU block cache (index and filter blocks charged to it) and a write buffer
 * manager bounding all memtables.
 */
public final class StoreDb implements AutoCloseable {
    static {
        RocksNativeLibrary.load();
    }

    private final RocksDB db;
    private final ColumnFamilyHandle nodes;
    private final ColumnFamilyHandle ttl;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle events;
    private final List<ColumnFamilyHandle> handles;
    private final List<AutoCloseable> resources;

    private StoreDb(RocksDB db, List<ColumnFamilyHandle> handles, List<AutoCloseable> resources) {
        this.db = db;
        this.handles = handles;
        this.nodes = handles.get(1);
        this.ttl = handles.get(2);
        this.meta = handles.get(3);
        this.events = handles.get(4);
        this.resources = resources;
    }

    /** Opens (creating if needed) the database in {@code dir}. */
    public static StoreDb open(Path dir, KvStoreOptions options) throws IOException {
        Files.createDirectories(dir);
        List<AutoCloseable> resources = new ArrayList<>();
        // 16 shards: every shard must hold the largest cached block (see the partitioned filters below).
        LRUCache cache = new LRUCache(options.blockCacheBytes(), 4, false, 0.5);
        resources.add(cache);
        WriteBufferManager writeBuffers = new WriteBufferManager(
                options.writeBufferBytes() * options.maxWriteBuffers(), cache);
        resources.add(writeBuffers);
        BloomFilter bloom = new BloomFilter(10, false);
        resources.add(bloom);
        // Index and filter blocks live in the (bounded) block cache, partitioned into small blocks:
        // a whole-file filter of a large SST would outgrow a cache shard and be re-read on every get.
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setPinTopLevelIndexAndFilter(true)
                .setIndexType(IndexType.kTwoLevelIndexSearch)
                .setPartitionFilters(true)
                .setMetadataBlockSize(4096)
                .setFilterPolicy(bloom);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setWriteBufferSize(options.writeBufferBytes())
                .setMaxWriteBufferNumber(options.maxWriteBuffers());
        resources.add(cfOptions);
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(writeBuffers)
                .setMaxOpenFiles(256)
                .setKeepLogFileNum(2)
                .setMaxBackgroundJobs(2);
        resources.add(dbOptions);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(bytes("nodes"), cfOptions),
                new ColumnFamilyDescriptor(bytes("ttl"), cfOptions),
                new ColumnFamilyDescriptor(bytes("meta"), cfOptions),
                new ColumnFamilyDescriptor(bytes("events"), cfOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new StoreDb(db, handles, resources);
        } catch (RocksDBException e) {
            closeAll(resources);
            throw new IOException("cannot open kv database in " + dir, e);
        }
    }

    public RocksDB db() {
        return db;
    }

    public ColumnFamilyHandle nodes() {
        return nodes;
    }

    public ColumnFamilyHandle ttl() {
        return ttl;
    }

    public ColumnFamilyHandle meta() {
        return meta;
    }

    public ColumnFamilyHandle events() {
        return events;
    }

    /** Writes a consistent checkpoint (hard links where possible) into a new directory. */
    public void checkpoint(Path target) throws IOException {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("checkpoint failed", e);
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // native handles: nothing useful to do on a failed release
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
