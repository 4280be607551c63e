package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Storage} on local files: a segmented log, a state file and a {@link FileSnapshotStore}.
 *
 * <p>Layout of the directory: segment files {@code <first index, 20 digits>.log}, the state file
 * {@code state} (term, vote, commit, snapshot point) and {@code snapshots/}.
 *
 * <p><b>Durability.</b> One writer thread takes every queued request, writes them all and forces
 * the log once (group commit), then completes their futures in order. A future completes only
 * once its data is forced; reads see data once it is durable. {@link #persist} blocks while the
 * request queue ({@link FileStorageOptions#queueCapacity()}) is full. Futures complete on the
 * writer thread, so their callbacks must be short (a callback that persists while the queue is
 * full gets a failed future rather than a deadlock). After a write error every later request
 * fails: the node must stop.
 *
 * <p><b>The commit index</b> changes on every batch; rewriting the state file each time would
 * add a second fsync (plus a directory fsync) per batch. Instead each batch that moves it appends
 * a small commit record to the log, forced by the same fsync as the entries (a batch that only
 * moves the commit index is written but not forced: the next forced batch, or {@link #close},
 * makes it durable; after a power cut the commit index may be a little older, which Raft
 * tolerates because the leader repeats it and applied entries count as committed). The state file
 * carries it only when it is rewritten anyway (term, vote or snapshot change). On recovery the
 * commit index is the highest of the state file's, the log's commit records and the snapshot
 * index. A commit record is repeated after a truncation and at the start of each segment, so
 * cutting records or deleting old segments never loses it.
 *
 * <p><b>Compaction</b> ({@link #compact}) moves the first index at once, adopts the newest stored
 * snapshot as the snapshot point, and lets the writer make that point durable before it deletes
 * whole segments below the first index. After a restart the first index may be lower again (the
 * undeleted part of a segment); that is harmless, the snapshot covers it.
 */
public final class FileStorage implements Storage {
    static final String SNAPSHOT_DIR = "snapshots";

    /** Counters of the writer: log fsyncs, entries they covered, bytes written. */
    public record Stats(long syncs, long entries, long bytesWritten) {
    }

    private final Path dir;
    private final SegmentedLog log;
    private final FileSnapshotStore snapshots;
    private final StorageMetrics metrics;
    private final BatchWriter writer;
    private final GroupCommitQueue<BatchWriter.Task> queue;

    private volatile HardState hardState;
    /** Guarded by this; only moves forward. */
    private SnapshotMetadata snapshot;

    private FileStorage(Path dir, SegmentedLog log, FileSnapshotStore snapshots, StorageMetrics metrics,
            StateFile stateFile, StateFile.State state, HardState hardState, FileStorageOptions options) {
        this.dir = dir;
        this.log = log;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.hardState = hardState;
        this.snapshot = state.snapshot();
        this.writer = new BatchWriter(log, stateFile, snapshots, metrics, new BatchWriter.Publisher() {
            @Override
            public void snapshotInstalled(SnapshotMetadata installed) {
                advanceSnapshot(installed);
            }

            @Override
            public void hardStatePersisted(HardState persisted) {
                FileStorage.this.hardState = persisted;
            }
        }, state, hardState);
        this.queue = new GroupCommitQueue<>("cairn-storage-" + dir.getFileName(), options.queueCapacity(),
                writer::write);
    }

    /**
     * Opens (creating if needed) the store in {@code dir} and recovers it: a torn tail is cut
     * off, damage that a crash cannot explain is reported.
     *
     * @throws CorruptLogException if the log or the state file is damaged
     */
    public static FileStorage open(Path dir, FileStorageOptions options) throws IOException {
        FileIO io = options.fileIO();
        io.createDirectories(dir);
        StateFile stateFile = new StateFile(io, dir);
        StateFile.State state = stateFile.read();
        FileSnapshotStore snapshots = FileSnapshotStore.open(dir.resolve(SNAPSHOT_DIR), io);
        LogRecovery.Result recovered = LogRecovery.recover(io, dir, state.snapshot());
        long commit = Math.max(Math.max(state.hardState().commit(), recovered.recordedCommit()),
                state.snapshot().index());
        HardState hardState = new HardState(state.hardState().term(), state.hardState().votedFor(), commit);
        SegmentedLog log = new SegmentedLog(io, dir, options.segmentBytes(), options.tailCacheBytes(),
                recovered.segments(), options.preallocationBytes());
        return new FileStorage(dir, log, snapshots, new StorageMetrics(options), stateFile, state, hardState,
                options);
    }

    /** Opens with {@link FileStorageOptions#defaults()}. */
    public static FileStorage open(Path dir) throws IOException {
        return open(dir, FileStorageOptions.defaults());
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public synchronized SnapshotMetadata snapshot() {
        return snapshot;
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long term(long index) {
        SnapshotMetadata point = snapshot();
        if (index == point.index()) {
            return point.term();
        }
        return log.term(index);
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        return log.entries(from, to, maxBytes);
    }

    @Override
    public CompletableFuture<Void> persist(SnapshotMetadata snapshot, List<Entry> entries, HardState hardState) {
        return submit(new BatchWriter.Persist(snapshot, List.copyOf(entries), hardState, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> submit(BatchWriter.Task task) {
        if (writer.failure() != null) {
            return CompletableFuture.failedFuture(writer.failure());
        }
        try {
            if (!queue.submit(task)) {
                return CompletableFuture.failedFuture(new IllegalStateException("storage is closed"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return task.future();
    }

    @Override
    public void compact(long index) {
        compactAsync(index);
    }

    /** {@link #compact}, returning a future that completes once the compacted segments are deleted. */
    CompletableFuture<Void> compactAsync(long index) {
        BatchWriter.Compact task = compactLogically(index);
        // Submitted outside the monitor: a full queue must not block the writer's publishing.
        return task == null ? CompletableFuture.completedFuture(null) : submit(task);
    }

    private synchronized BatchWriter.Compact compactLogically(long index) {
        if (index < log.firstIndex()) {
            return null;
        }
        long lastIndex = log.lastIndex();
        SnapshotMetadata point = LogRules.pointAfterCompaction(snapshot, snapshots, lastIndex, this::term);
        LogRules.requireCompactable(index, point, lastIndex);
        long termAtIndex = term(index);
        snapshot = point;
        log.compactLogically(index, termAtIndex);
        return new BatchWriter.Compact(point, new CompletableFuture<>());
    }

    private synchronized void advanceSnapshot(SnapshotMetadata installed) {
        if (installed.index() >= snapshot.index()) {
            snapshot = installed;
        }
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    /** What the writer has done so far. */
    public Stats stats() {
        return metrics.snapshot();
    }

    /** Segment files in use, oldest first (for tests and diagnostics). */
    List<Path> segmentFiles() {
        return log.segmentFiles();
    }

    @Override
    public void close() {
        List<BatchWriter.Task> late = queue.closeAndDrain();
        late.forEach(t -> t.future().completeExceptionally(new IllegalStateException("storage is closed")));
        metrics.close();
        try {
            if (writer.failure() == null) {
                log.sync(); // the writer has stopped: a last commit-only record becomes durable too
            }
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "FileStorage[" + dir + "]";
    }
}
