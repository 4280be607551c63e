package io.cairn.raft.node;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: feeds committed entries to the {@link StateMachine} in batches, strips the
 * proposal envelopes, completes this node's proposals with their results, restores installed
 * snapshots, and takes a snapshot every {@code snapshotEveryEntries} applied entries.
 */
final class Applier<R> {
    private static final Logger log = LoggerFactory.getLogger(Applier.class);

    /** What the apply thread reports back to the node. */
    interface Callbacks {
        /** Every entry up to {@code index} is applied (or covered by a restored snapshot). */
        void applied(long index);

        /** Applying failed: the node cannot go on. */
        void failed(Throwable error);
    }

    private sealed interface Task permits Apply, Restore, SnapshotWritten, Stop { }
    private record Apply(List<Entry> entries) implements Task { }
    private record Restore(SnapshotMetadata metadata) implements Task { }
    /** The background snapshot write ended: a snapshot that fell due meanwhile may be taken now. */
    private record SnapshotWritten() implements Task { }
    private record Stop() implements Task { }

    private final StateMachine<R> stateMachine;
    private final ProposalTracker<R> proposals;
    private final MembershipTracker membership;
    private final SnapshotManager snapshots;
    private final NodeMetrics metrics;
    private final Callbacks callbacks;
    private final long snapshotEveryEntries;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private long appliedIndex;
    private long appliedTerm;
    private ClusterConfig config;
    private long lastSnapshotIndex;

    Applier(String name, StateMachine<R> stateMachine, ProposalTracker<R> proposals, MembershipTracker membership,
            SnapshotManager snapshots, NodeMetrics metrics, Callbacks callbacks, long snapshotEveryEntries,
            SnapshotMetadata startSnapshot, long appliedIndex, long appliedTerm, ClusterConfig appliedConfig) {
        this.stateMachine = stateMachine;
        this.proposals = proposals;
        this.membership = membership;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.callbacks = callbacks;
        this.snapshotEveryEntries = snapshotEveryEntries;
        this.appliedIndex = appliedIndex;
        this.appliedTerm = appliedTerm;
        this.config = appliedConfig;
        this.lastSnapshotIndex = startSnapshot.index();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues committed entries, in log order. */
    void apply(List<Entry> entries) {
        if (!entries.isEmpty()) {
            queue.add(new Apply(entries));
        }
    }

    /** Queues a restore from the stored snapshot (after its point was persisted). */
    void restore(SnapshotMetadata metadata) {
        queue.add(new Restore(metadata));
    }

    /** Stops after the queued work and waits for the thread. */
    void stop(long timeoutMillis) throws InterruptedException {
        queue.add(new Stop());
        thread.join(timeoutMillis);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(timeoutMillis);
        }
    }

    private void run() {
        try {
            while (true) {
                Task task = queue.take();
                if (task instanceof Stop) {
                    return;
                }
                if (task instanceof Restore restore) {
                    doRestore(restore.metadata());
                    continue;
                }
                if (task instanceof SnapshotWritten) {
                    maybeSnapshot();
                    continue;
                }
                List<Entry> batch = new ArrayList<>(((Apply) task).entries());
                // Coalesce whatever else is already queued into one state machine call.
                while (queue.peek() instanceof Apply) {
                    batch.addAll(((Apply) queue.poll()).entries());
                }
                doApply(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            log.error("apply thread {} failed", thread.getName(), t);
            callbacks.failed(t);
        }
    }

    private void doApply(List<Entry> committed) {
        List<Entry> toApply = new ArrayList<>(committed.size());
        List<CommandEnvelope> envelopes = new ArrayList<>(committed.size());
        for (Entry e : committed) {
            if (e.index() <= appliedIndex) {
                continue;
            }
            if (e.index() != appliedIndex + 1) {
                throw new IllegalStateException("apply gap: applied " + appliedIndex + ", next entry " + e.index());
            }
            CommandEnvelope envelope = null;
            Entry plain = e;
            if (e.type() == EntryType.NORMAL && CommandEnvelope.isEnvelope(e.data())) {
                envelope = CommandEnvelope.decode(e.data());
                plain = Entry.normal(e.term(), e.index(), envelope.payload());
            }
            toApply.add(plain);
            envelopes.add(envelope);
            appliedIndex = e.index();
            appliedTerm = e.term();
        }
        if (toApply.isEmpty()) {
            return;
        }
        List<R> results = stateMachine.apply(toApply);
        if (results.size() != toApply.size()) {
            throw new IllegalStateException("state machine returned " + results.size() + " results for "
                    + toApply.size() + " entries");
        }
        for (int i = 0; i < toApply.size(); i++) {
            Entry e = toApply.get(i);
            CommandEnvelope envelope = envelopes.get(i);
            if (envelope != null && proposals.isOurs(envelope)) {
                proposals.complete(envelope.sequence(), e.index(), results.get(i));
            } else if (e.type() == EntryType.CONFIG_CHANGE) {
                ConfigChange change = ConfigChange.decode(e.data());
                config = applyQuietly(config, change);
                membership.applied(change);
            }
        }
        proposals.failLostUpTo(appliedIndex);
        metrics.appliedIndex(appliedIndex);
        callbacks.applied(appliedIndex);
        maybeSnapshot();
    }

    private static ClusterConfig applyQuietly(ClusterConfig config, ConfigChange change) {
        try {
            return config.apply(change);
        } catch (IllegalArgumentException e) {
            return config; // the core ignored it too: a no-op change
        }
    }

    private void doRestore(SnapshotMetadata metadata) {
        if (metadata.index() <= appliedIndex) {
            return; // already at or past it (a retried install)
        }
        SnapshotMetadata restored = snapshots.restoreLatest(stateMachine, metadata.index());
        appliedIndex = restored.index();
        appliedTerm = restored.term();
        config = restored.config();
        lastSnapshotIndex = restored.index();
        proposals.failCoveredBySnapshot(appliedIndex);
        metrics.snapshotInstalled();
        metrics.appliedIndex(appliedIndex);
        callbacks.applied(appliedIndex);
    }

    private void maybeSnapshot() {
        if (appliedIndex - lastSnapshotIndex < snapshotEveryEntries || snapshots.isWriting()) {
            return;
        }
        SnapshotMetadata metadata = new SnapshotMetadata(appliedIndex, appliedTerm, config);
        StateMachine.SnapshotSource source;
        try {
            source = stateMachine.takeSnapshot();
        } catch (java.io.IOException e) {
            log.warn("taking a snapshot at {} failed; will retry later", appliedIndex, e);
            lastSnapshotIndex = appliedIndex;
            return;
        }
        lastSnapshotIndex = appliedIndex;
        metrics.snapshotTaken();
        // A snapshot that falls due while this one is written is skipped above; without this
        // check when the write ends, a node that then applies nothing more (an idle group, a
        // leader waiting for a lagging follower) would never snapshot or compact again.
        snapshots.writeAsync(metadata, source, failure -> queue.add(new SnapshotWritten()));
    }
}
