package io.cairn.kv;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Configuration of a {@link KvStateMachine}. Memory is bounded by the block cache plus
 * {@code writeBufferBytes × maxWriteBuffers} of memtables plus the node cache plus the event
 * history, whatever the data size.
 *
 * @param dataDir directory owned by the store (databases, checkpoints, restore staging)
 * @param blockCacheBytes RocksDB block cache capacity (also charged with index/filter blocks)
 * @param writeBufferBytes size of one memtable per column family
 * @param maxWriteBuffers memtables per column family before writes stall
 * @param historySize events kept for {@code waitIndex} (etcd: 1000)
 * @param watcherBufferSize events buffered per watcher before it is dropped (etcd: 100)
 * @param readClock clock used only to compute {@code ttl} on reads; applying never reads a clock
 * @param nodeCacheBytes heap for recently applied nodes, which spares writes a RocksDB read of the
 *     node they replace and of its parents; 0 turns it off
 */
public record KvStoreOptions(Path dataDir, long blockCacheBytes, long writeBufferBytes, int maxWriteBuffers,
        int historySize, int watcherBufferSize, Clock readClock, long nodeCacheBytes) {

    public KvStoreOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(readClock, "readClock");
        if (blockCacheBytes < 1 << 20 || writeBufferBytes < 1 << 20 || maxWriteBuffers < 2) {
            throw new IllegalArgumentException("block cache and write buffers must be >= 1 MiB, maxWriteBuffers >= 2");
        }
        if (historySize < 1 || watcherBufferSize < 1) {
            throw new IllegalArgumentException("historySize and watcherBufferSize must be positive");
        }
        if (nodeCacheBytes < 0) {
            throw new IllegalArgumentException("nodeCacheBytes must not be negative");
        }
    }

    /**
     * Defaults: 64 MiB block cache, 2 x 8 MiB memtables (per column family, all of them capped
     * together at 16 MiB and charged to the cache), etcd's history and watcher buffer sizes,
     * 16 MiB of node cache.
     */
    public static KvStoreOptions defaults(Path dataDir) {
        return new KvStoreOptions(dataDir, 64L << 20, 8L << 20, 2, 1000, 100, Clock.systemUTC(), 16L << 20);
    }

    public KvStoreOptions withBlockCacheBytes(long bytes) {
        return new KvStoreOptions(dataDir, bytes, writeBufferBytes, maxWriteBuffers, historySize, watcherBufferSize,
                readClock, nodeCacheBytes);
    }

    public KvStoreOptions withWriteBuffers(long bytes, int count) {
        return new KvStoreOptions(dataDir, blockCacheBytes, bytes, count, historySize, watcherBufferSize, readClock,
                nodeCacheBytes);
    }

    public KvStoreOptions withHistorySize(int size) {
        return new KvStoreOptions(dataDir, blockCacheBytes, writeBufferBytes, maxWriteBuffers, size, watcherBufferSize,
                readClock, nodeCacheBytes);
    }

    public KvStoreOptions withWatcherBufferSize(int size) {
        return new KvStoreOptions(dataDir, blockCacheBytes, writeBufferBytes, maxWriteBuffers, historySize, size,
                readClock, nodeCacheBytes);
    }

    public KvStoreOptions withReadClock(Clock clock) {
        return new KvStoreOptions(dataDir, blockCacheBytes, writeBufferBytes, maxWriteBuffers, historySize,
                watcherBufferSize, clock, nodeCacheBytes);
    }

    public KvStoreOptions withNodeCacheBytes(long bytes) {
        return new KvStoreOptions(dataDir, blockCacheBytes, writeBufferBytes, maxWriteBuffers, historySize,
                watcherBufferSize, readClock, bytes);
    }
}
