package io.cairn.raft.storage;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs one group-commit batch on the writer thread, in five steps:
 * <ol>
 *   <li>validate every request against the log as the earlier requests leave it;</li>
 *   <li>if the term, the vote or the snapshot point changed, replace the state file first (so
 *   the durable term is never older than a durable entry, and a snapshot point is durable
 *   before the log it replaces is deleted);</li>
 *   <li>apply the log changes in call order: resets, truncations, appends, and one commit
 *   record for the batch;</li>
 *   <li>force the log once, unless the batch only moves the commit index (see below);</li>
 *   <li>publish to readers, then complete the futures in call order.</li>
 * </ol>
 * After an I/O error nothing more is written: the store can no longer make promises.
 *
 * <p>A batch that only advances the commit index is written to the file but not forced: every
 * member would otherwise pay a second fsync per entry (one for the entries, one for the Ready
 * that learns they committed), and a follower's next append would queue behind it. Nothing is
 * lost by it: the commit index is re-learnt from the leader, and a restarted node's commit never
 * falls below its applied index. The next forced batch makes the record durable too.
 */
final class BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    /** A unit of work for the writer thread. */
    sealed interface Task permits Persist, Compact {
        CompletableFuture<Void> future();
    }

    record Persist(SnapshotMetadata snapshot, List<Entry> entries, HardState hardState,
            CompletableFuture<Void> future) implements Task {
    }

    /** Make the snapshot point {@code point} durable, then delete the compacted segments. */
    record Compact(SnapshotMetadata point, CompletableFuture<Void> future) implements Task {
    }

    /** Where the writer publishes what became durable. */
    interface Publisher {
        void snapshotInstalled(SnapshotMetadata snapshot);

        void hardStatePersisted(HardState hardState);
    }

    private final SegmentedLog log;
    private final StateFile stateFile;
    private final SnapshotStore snapshots;
    private final StorageMetrics metrics;
    private final Publisher publisher;

    private StateFile.State durable;
    private HardState hardState;
    private long durableCommit;
    private volatile Throwable failure;

    BatchWriter(SegmentedLog log, StateFile stateFile, SnapshotStore snapshots, StorageMetrics metrics,
            Publisher publisher, StateFile.State durable, HardState hardState) {
        this.log = log;
        this.stateFile = stateFile;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.publisher = publisher;
        this.durable = durable;
        this.hardState = hardState;
        this.durableCommit = hardState.commit();
    }

    /** The error that stopped the writer, or null. */
    Throwable failure() {
        return failure;
    }

    void write(List<Task> batch) {
        if (failure != null) {
            batch.forEach(t -> t.future().completeExceptionally(failure));
            return;
        }
        List<Task> accepted = batch;
        try {
            accepted = validate(batch);
            HardState newHardState = hardState;
            SnapshotMetadata newSnapshot = durable.snapshot();
            for (Task t : accepted) {
                if (t instanceof Persist p && p.hardState() != null) {
                    newHardState = p.hardState();
                }
                newSnapshot = newer(newSnapshot, snapshotOf(t));
            }
            StateFile.State target = new StateFile.State(
                    new HardState(newHardState.term(), newHardState.votedFor(), durableCommit), newSnapshot);
            if (!target.sameTermVoteAndSnapshot(durable)) {
                stateFile.write(target);
                durable = target;
            }
            int entryCount = applyToLog(accepted, newHardState.commit());
            if (entryCount == 0 && accepted.stream().allMatch(BatchWriter::onlyMovesCommit)) {
                log.writeUnforced();
            } else {
                long bytesBefore = log.bytesWritten();
                long start = System.nanoTime();
                if (log.sync() > 0) {
                    metrics.recordSync(System.nanoTime() - start, entryCount, log.bytesWritten() - bytesBefore);
                }
            }
            durableCommit = newHardState.commit();
            hardState = newHardState;
            publisher.hardStatePersisted(newHardState);
            if (accepted.stream().anyMatch(t -> t instanceof Compact)) {
                log.deleteCompactedSegments();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("log write failed; the store accepts no more writes", e);
            failure = e;
            accepted.forEach(t -> t.future().completeExceptionally(e));
            return;
        }
        accepted.forEach(t -> t.future().complete(null));
    }

    /**
     * Whether the task, once its entries turned out empty, changes nothing but the commit index:
     * no snapshot point (a new segment, deleted ones) and no compaction. A term or vote change
     * rewrites the state file, which forces itself.
     */
    private static boolean onlyMovesCommit(Task t) {
        return t instanceof Persist p && p.snapshot() == null && p.entries().isEmpty();
    }

    /** Rejects invalid requests (their futures fail; the batch goes on) and returns the valid ones. */
    private List<Task> validate(List<Task> batch) {
        List<Task> accepted = new ArrayList<>(batch.size());
        SnapshotMetadata snapshot = durable.snapshot();
        long first = log.firstIndex();
        long last = log.writerLastIndex();
        for (Task t : batch) {
            if (t instanceof Compact c) {
                snapshot = newer(snapshot, c.point());
                accepted.add(t);
                continue;
            }
            Persist p = (Persist) t;
            try {
                LogRules.requireContiguous(p.entries());
                if (p.snapshot() != null) {
                    LogRules.requireInstallable(p.snapshot(), snapshot, snapshots);
                    snapshot = p.snapshot();
                    first = snapshot.index() + 1;
                    last = snapshot.index();
                }
                List<Entry> fresh = dropCompacted(p.entries(), first);
                LogRules.requireNoGap(fresh, last);
                if (!fresh.isEmpty()) {
                    last = fresh.get(fresh.size() - 1).index();
                }
                accepted.add(fresh.size() == p.entries().size() ? p
                        : new Persist(p.snapshot(), fresh, p.hardState(), p.future()));
            } catch (IllegalArgumentException e) {
                p.future().completeExceptionally(e);
            }
        }
        return accepted;
    }

    private int applyToLog(List<Task> accepted, long commit) throws IOException {
        int entryCount = 0;
        for (Task t : accepted) {
            if (!(t instanceof Persist p)) {
                continue;
            }
            if (p.snapshot() != null) {
                log.reset(p.snapshot().index(), p.snapshot().term());
                publisher.snapshotInstalled(p.snapshot());
            }
            List<Entry> entries = dropCompacted(p.entries(), log.firstIndex());
            if (!entries.isEmpty()) {
                log.truncateFrom(entries.get(0).index());
                log.append(entries);
                entryCount += entries.size();
            }
        }
        if (commit != durableCommit || log.commitRecordNeeded()) {
            log.appendCommit(commit);
        }
        return entryCount;
    }

    /** Entries below the first index are compacted, hence committed and identical: skip them. */
    private static List<Entry> dropCompacted(List<Entry> entries, long firstIndex) {
        int skip = 0;
        while (skip < entries.size() && entries.get(skip).index() < firstIndex) {
            skip++;
        }
        return skip == 0 ? entries : entries.subList(skip, entries.size());
    }

    private static SnapshotMetadata snapshotOf(Task t) {
        if (t instanceof Compact c) {
            return c.point();
        }
        return ((Persist) t).snapshot();
    }

    private static SnapshotMetadata newer(SnapshotMetadata current, SnapshotMetadata candidate) {
        if (candidate == null) {
            return current;
        }
        return candidate.index() >= current.index() ? candidate : current;
    }
}
