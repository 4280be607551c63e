package io.cairn.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.kv.internal.CheckpointStream;
import io.cairn.kv.internal.DataDir;
import io.cairn.kv.internal.EventCodec;
import io.cairn.kv.internal.MetaKeys;
import io.cairn.kv.internal.MembershipApplier;
import io.cairn.kv.internal.Membership;
import io.cairn.kv.internal.NodeCache;
import io.cairn.kv.internal.NodeTable;
import io.cairn.kv.internal.RocksNativeLibrary;
import io.cairn.kv.internal.RocksNodeTable;
import io.cairn.kv.internal.StoreDb;
import io.cairn.kv.internal.StoreEngine;
import io.cairn.kv.internal.StoreFailure;
import io.cairn.kv.internal.WatcherHub;
import io.cairn.kv.internal.WatcherHub.Published;
import io.cairn.kv.proto.Command;
import io.cairn.kv.proto.EventRecord;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.node.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * The etcd v2 store as a raft state machine on RocksDB. {@link #apply} runs on raft's apply thread;
 * the {@link KvStore} reads are safe from any thread.
 *
 * <p>Each applied batch is one RocksDB write batch that also records the last applied raft index
 * and the etcd index, so after a crash replay neither repeats nor skips an entry. Entries at or
 * below the recorded index are skipped. Writes are not fsynced individually: the raft log is the
 * durable record, and anything lost from RocksDB's unsynced tail is replayed from it.
 */
public final class KvStateMachine implements StateMachine<ApplyResult>, KvStore, AutoCloseable {
    static {
        RocksNativeLibrary.load(); // before the first RocksDB object below (writeOptions) loads it RocksDB's way
    }

    /** Test hook around the commit of an applied batch (crash-replay tests). */
    interface Failpoint {
        Failpoint NONE = new Failpoint() {
        };

        /** The batch is built but not written. */
        default void beforeCommit(long lastIndex) {
        }

        /** The batch is written; in-memory state and watchers not yet updated. */
        default void afterCommit(long lastIndex) {
        }
    }

    private final KvStoreOptions options;
    private final DataDir dataDir;
    private final ReentrantReadWriteLock dbLock = new ReentrantReadWriteLock();
    private final WriteOptions writeOptions = new WriteOptions();
    /** Reads of the latest state, shared by every reader (RocksDB only reads it). */
    private final ReadOptions latestReads = new ReadOptions();
    private final StoreCounters counters = new StoreCounters();
    private final WatcherHub hub;
    /** Confined to the applying thread; cleared by a restore, which locks applying out. */
    private final NodeCache nodeCache;
    private volatile StoreDb db;
    private volatile Path dbDir;
    private volatile long applied;
    private volatile long etcdIndex;
    /**
     * Odd while a batch is being written, even otherwise, and larger after every write: a read that
     * sees the same even value before and after it knows no batch was written meanwhile, so what it
     * read is one state and {@link #etcdIndex} is that state's index (see {@link #get}). Written by
     * the applier only.
     */
    private volatile long writeCount;
    private volatile Membership membership;
    private volatile Failpoint failpoint = Failpoint.NONE;
    private volatile boolean closed;

    private KvStateMachine(KvStoreOptions options, DataDir dataDir, Path dbDir, StoreDb db) {
        this.options = options;
        this.dataDir = dataDir;
        this.dbDir = dbDir;
        this.db = db;
        this.hub = new WatcherHub(options.historySize(), options.watcherBufferSize(), 0);
        this.nodeCache = new NodeCache(options.nodeCacheBytes());
        loadState(WatchListener.CloseReason.STORE_CLOSED);
    }

    /** Opens the store in {@code options.dataDir()}, creating it when empty. */
    public static KvStateMachine open(KvStoreOptions options) throws IOException {
        DataDir dir = new DataDir(options.dataDir());
        Path current = dir.current();
        return new KvStateMachine(options, dir, current, StoreDb.open(current, options));
    }

    // ----------------------------------------------------------------------------------------
    // StateMachine
    // ----------------------------------------------------------------------------------------

    @Override
    public long lastAppliedIndex() {
        return applied;
    }

    @Override
    public List<ApplyResult> apply(List<Entry> entries) {
        List<ApplyResult> results = new ArrayList<>(entries.size());
        dbLock.readLock().lock();
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true); ReadOptions reads = new ReadOptions();
                WatcherHub.RemovalCheck removals = hub.removalCheck()) {
            requireOpen();
            StoreDb store = db;
            RocksNodeTable nodes = new RocksNodeTable(store, reads, batch, nodeCache);
            StoreEngine engine = new StoreEngine(nodes, etcdIndex, removals::isWatched);
            Membership members = membership.copy();
            MembershipApplier memberApplier = new MembershipApplier(store, batch, members);
            StoreCounters.Pending counted = counters.pending();
            List<Published> published = new ArrayList<>();
            long last = applied;
            for (Entry entry : entries) {
                if (entry.index() <= last) {
                    results.add(null); // already applied before a restart: exactly once
                    continue;
                }
                results.add(applyOne(entry, engine, memberApplier, counted, published));
                last = entry.index();
            }
            if (last == applied) {
                return results;
            }
            recordEvents(store, batch, published);
            batch.put(store.meta(), MetaKeys.APPLIED, MetaKeys.longBytes(last));
            batch.put(store.meta(), MetaKeys.ETCD_INDEX, MetaKeys.longBytes(engine.index()));
            failpoint.beforeCommit(last);
            long writing = writeCount | 1; // stays odd if the write fails: reads then take the slow path
            writeCount = writing;
            store.db().write(writeOptions, batch);
            nodes.publishCommitted();
            failpoint.afterCommit(last);
            applied = last;
            etcdIndex = engine.index();
            writeCount = writing + 1;
            membership = members;
            counted.commit();
            hub.publish(published, engine.index());
            return results;
        } catch (RocksDBException e) {
            throw new StoreFailure("applying a batch failed", e);
        } finally {
            dbLock.readLock().unlock();
        }
    }

    private ApplyResult applyOne(Entry entry, StoreEngine engine, MembershipApplier members,
            StoreCounters.Pending counted, List<Published> published) {
        if (entry.type() == EntryType.CONFIG_CHANGE) {
            for (int i = members.apply(ConfigChange.decode(entry.data())); i > 0; i--) {
                published.add(Published.internal(engine.nextInternalIndex()));
            }
            return ApplyResult.NONE;
        }
        if (entry.data().length == 0) {
            return null; // leader no-op
        }
        Command command;
        try {
            command = Command.parseFrom(entry.data());
        } catch (InvalidProtocolBufferException e) {
            // Deterministic on every replica: the entry changes nothing.
            return ApplyResult.failed(new EtcdException(ErrorCode.RAFT_INTERNAL, "invalid kv command", 0));
        }
        if (command.getVersion() > KvCommands.FORMAT_VERSION) {
            // Skipping would make this replica diverge from newer ones: stop instead.
            throw new StoreFailure("kv command version " + command.getVersion() + " is newer than this build", null);
        }
        long now = command.getNowUnixNanos();
        switch (command.getBodyCase()) {
            case KEY_WRITE -> {
                try {
                    StoreEngine.Change change = engine.apply(command.getKeyWrite(), now);
                    counted.success(command.getKeyWrite().getOp());
                    published.add(new Published(change.event().index(), change.event(), change.removedWatchedPaths()));
                    return ApplyResult.of(change.event());
                } catch (EtcdException e) {
                    counted.failure(command.getKeyWrite().getOp());
                    return ApplyResult.failed(e);
                }
            }
            case EXPIRE -> {
                for (StoreEngine.Change change : engine.expire(now)) {
                    counted.expired();
                    published.add(new Published(change.event().index(), change.event(), change.removedWatchedPaths()));
                }
                return ApplyResult.NONE;
            }
            case PUBLISH_MEMBER, UPDATE_PEER_URLS, CLUSTER_VERSION -> {
                for (int i = members.apply(command); i > 0; i--) {
                    published.add(Published.internal(engine.nextInternalIndex()));
                }
                return ApplyResult.NONE;
            }
            default -> {
                return ApplyResult.failed(new EtcdException(ErrorCode.RAFT_INTERNAL, "empty kv command", 0));
            }
        }
    }

    /** Adds the batch's events to the durable history and drops those that fell out of it. */
    private void recordEvents(StoreDb store, WriteBatchWithIndex batch, List<Published> published)
            throws RocksDBException {
        for (Published p : published) {
            batch.put(store.events(), io.cairn.kv.internal.NodeKeys.event(p.index()),
                    EventCodec.encode(p.index(), p.event()).toByteArray());
            long dropped = p.index() - options.historySize();
            if (dropped > 0) {
                batch.delete(store.events(), io.cairn.kv.internal.NodeKeys.event(dropped));
            }
        }
    }

    /**
     * Test-only, for the server's {@code ack-before-persist} negative control: applied batches
     * skip RocksDB's write-ahead log, so a killed process loses everything not yet flushed to a
     * table file, as a power cut loses every unsynced byte. Without it the store's own log would
     * keep what the deliberately lossy Raft log forgets. Call before the first apply.
     */
    public void unsafeSkipWriteAheadLog() {
        writeOptions.setDisableWAL(true);
    }

    /**
     * Records the founding members of a new cluster (ids and peer URLs; names and client URLs come
     * later through {@link KvCommands#publishMember}). Raft bootstraps founders without log entries,
     * so every founder calls this with the same list before its first apply. Consumes no etcd index
     * (so a bootstrapped cluster starts at N + 1 after the N publications and the cluster version,
     * where etcd shows 2N + 1 — spec 18.4 latitude) and is idempotent. A member joining an existing
     * cluster receives members through a snapshot, or may seed the list it fetched from a peer.
     *
     * @throws IllegalStateException once an entry has been applied
     */
    public void seedMembers(List<Member> founders) {
        dbLock.readLock().lock();
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            requireOpen();
            if (applied != 0) {
                throw new IllegalStateException("members can only be seeded before the first apply");
            }
            Membership members = membership.copy();
            new MembershipApplier(db, batch, members).seed(founders);
            db.db().write(writeOptions, batch);
            membership = members;
        } catch (RocksDBException e) {
            throw new StoreFailure("seeding members failed", e);
        } finally {
            dbLock.readLock().unlock();
        }
    }

    @Override
    public SnapshotSource takeSnapshot() throws IOException {
        dbLock.readLock().lock();
        try {
            requireOpen();
            Path checkpoint = dataDir.newCheckpointDir();
            db.checkpoint(checkpoint);
            return new SnapshotSource() {
                @Override
                public void writeTo(OutputStream out) throws IOException {
                    CheckpointStream.write(checkpoint, out);
                }

                @Override
                public void close() throws IOException {
                    DataDir.deleteTree(checkpoint);
                }
            };
        } finally {
            dbLock.readLock().unlock();
        }
    }

    @Override
    public void restore(SnapshotMetadata metadata, InputStream data) throws IOException {
        Path next = dataDir.nextGeneration(dbDir);
        CheckpointStream.read(data, next);
        StoreDb restored = StoreDb.open(next, options);
        long restoredApplied = MetaKeys.readLong(restored, null, MetaKeys.APPLIED);
        if (restoredApplied != metadata.index()) {
            restored.close();
            DataDir.deleteTree(next);
            throw new IOException("snapshot data covers index " + restoredApplied + ", metadata says " + metadata.index());
        }
        dbLock.writeLock().lock();
        try {
            StoreDb old = db;
            Path oldDir = dbDir;
            dataDir.makeCurrent(next);
            db = restored;
            dbDir = next;
            old.close();
            DataDir.deleteTree(oldDir);
            nodeCache.clear();
            loadState(WatchListener.CloseReason.STORE_RESTORED);
        } finally {
            dbLock.writeLock().unlock();
        }
    }

    /** Loads indexes, membership and the event history from the database; ends live watches. */
    private void loadState(WatchListener.CloseReason reason) {
        StoreDb store = db;
        applied = MetaKeys.readLong(store, null, MetaKeys.APPLIED);
        etcdIndex = MetaKeys.readLong(store, null, MetaKeys.ETCD_INDEX);
        membership = MembershipApplier.load(store);
        List<Published> history = new ArrayList<>();
        try (ReadOptions reads = new ReadOptions(); RocksIterator it = store.db().newIterator(store.events(), reads)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                EventRecord r = EventRecord.parseFrom(it.value());
                history.add(new Published(r.getIndex(), EventCodec.decode(r), List.of()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new StoreFailure("corrupt event history", e);
        }
        hub.reset(history, etcdIndex, reason);
    }

    // ----------------------------------------------------------------------------------------
    // KvStore (reads)
    // ----------------------------------------------------------------------------------------

    @Override
    public Event get(String key, boolean recursive, boolean sorted) {
        dbLock.readLock().lock();
        if (closed) {
            dbLock.readLock().unlock();
            throw new IllegalStateException("kv store is closed");
        }
        try {
            return readOnce(key, recursive, sorted);
        } catch (EtcdException e) {
            counters.getFailed();
            throw e;
        } finally {
            dbLock.readLock().unlock();
        }
    }

    /**
     * Reads without a RocksDB snapshot when no batch is written meanwhile, which the write count
     * tells afterwards: then every read saw the same state, the one at {@link #etcdIndex}. Taking
     * and releasing a snapshot (the database mutex twice) and a ReadOptions per GET cost more than
     * the occasional second read after a write raced it. Called with the read lock held.
     */
    private Event readOnce(String key, boolean recursive, boolean sorted) {
        StoreDb store = db;
        long writesBefore = writeCount;
        if ((writesBefore & 1) == 0) {
            long index = etcdIndex;
            Event event = null;
            RuntimeException failure = null; // a not-found, or anything a torn read could cause
            try {
                event = read(store, latestReads, index, key, recursive, sorted);
            } catch (RuntimeException e) {
                failure = e;
            }
            VarHandle.fullFence(); // the reads are done before writeCount is read again
            if (writeCount == writesBefore) {
                if (failure != null) {
                    throw failure;
                }
                counters.getSucceeded();
                return event;
            }
        }
        return readFromSnapshot(store, key, recursive, sorted);
    }

    private Event readFromSnapshot(StoreDb store, String key, boolean recursive, boolean sorted) {
        long writesBefore = writeCount;
        long knownIndex = etcdIndex;
        Snapshot snapshot = store.db().getSnapshot();
        VarHandle.fullFence(); // the snapshot is taken before writeCount is read again
        boolean noWriteAround = (writesBefore & 1) == 0 && writeCount == writesBefore;
        try (ReadOptions reads = new ReadOptions().setSnapshot(snapshot)) {
            long index = noWriteAround ? knownIndex : MetaKeys.readLong(store, reads, MetaKeys.ETCD_INDEX);
            Event event = read(store, reads, index, key, recursive, sorted);
            counters.getSucceeded();
            return event;
        } finally {
            store.db().releaseSnapshot(snapshot);
        }
    }

    private Event read(StoreDb store, ReadOptions reads, long index, String key, boolean recursive, boolean sorted) {
        StoreEngine engine = new StoreEngine(new RocksNodeTable(store, reads, null), index, p -> false);
        Instant now = options.readClock().instant();
        return engine.get(key, recursive, sorted, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    @Override
    public Optional<Instant> nextExpiration() {
        dbLock.readLock().lock();
        try (ReadOptions reads = new ReadOptions()) {
            requireOpen();
            NodeTable.TtlEntry first = new RocksNodeTable(db, reads, null).firstTtl();
            return first == null ? Optional.empty()
                    : Optional.of(Instant.ofEpochSecond(0, first.expirationNanos()));
        } finally {
            dbLock.readLock().unlock();
        }
    }

    @Override
    public long etcdIndex() {
        return etcdIndex;
    }

    @Override
    public WatchHandle watch(String key, boolean recursive, boolean stream, long waitIndex, WatchListener listener) {
        return hub.watch(key, recursive, stream, waitIndex, listener);
    }

    @Override
    public List<Member> members() {
        return membership.list();
    }

    @Override
    public Optional<Member> member(long id) {
        return membership.get(id).map(Membership::toMember);
    }

    @Override
    public boolean isRemoved(long id) {
        return membership.isRemoved(id);
    }

    @Override
    public Optional<String> clusterVersion() {
        return membership.clusterVersion();
    }

    @Override
    public long clusterId() {
        return membership.clusterId();
    }

    @Override
    public StoreStats stats() {
        return counters.snapshot(hub.count());
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("kv store is closed");
        }
    }

    /** Package-private: installs a crash-test hook. */
    void setFailpoint(Failpoint failpoint) {
        this.failpoint = failpoint;
    }

    /** Ends all watches and closes the database. */
    @Override
    public void close() {
        dbLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            hub.close();
            db.close();
            writeOptions.close();
            latestReads.close();
        } finally {
            dbLock.writeLock().unlock();
        }
    }
}
