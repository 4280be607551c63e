package io.cairn.raft.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's Micrometer meters, tagged with the node id, removed from the registry on close so
 * a closed node is not kept alive by the registry.
 */
final class NodeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final AtomicLong term = new AtomicLong();
    private final AtomicLong commitIndex = new AtomicLong();
    private final AtomicLong appliedIndex = new AtomicLong();
    private final AtomicLong isLeader = new AtomicLong();
    private final Counter leaderChanges;
    private final Timer proposalLatency;
    private final Timer persistLatency;
    private final DistributionSummary entriesPerPersist;
    private final Counter snapshotsTaken;
    private final Counter snapshotsInstalled;

    NodeMetrics(MeterRegistry registry, long nodeId) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
        Tags tags = Tags.of("node", Long.toHexString(nodeId));
        meters.add(Gauge.builder("cairn.raft.term", term, AtomicLong::get).tags(tags)
                .description("current Raft term").register(this.registry));
        meters.add(Gauge.builder("cairn.raft.commit.index", commitIndex, AtomicLong::get).tags(tags)
                .description("highest committed log index").register(this.registry));
        meters.add(Gauge.builder("cairn.raft.applied.index", appliedIndex, AtomicLong::get).tags(tags)
                .description("highest log index applied to the state machine").register(this.registry));
        meters.add(Gauge.builder("cairn.raft.leader", isLeader, AtomicLong::get).tags(tags)
                .description("1 when this node is the leader").register(this.registry));
        leaderChanges = register(Counter.builder("cairn.raft.leader.changes").tags(tags)
                .description("times the known leader changed").register(this.registry));
        proposalLatency = register(Timer.builder("cairn.raft.proposal.latency").tags(tags)
                .description("from propose() to the entry applied here").publishPercentileHistogram()
                .register(this.registry));
        persistLatency = register(Timer.builder("cairn.raft.persist.latency").tags(tags)
                .description("one durable storage write (fsync included)").publishPercentileHistogram()
                .register(this.registry));
        entriesPerPersist = register(DistributionSummary.builder("cairn.raft.persist.entries").tags(tags)
                .description("log entries per durable write (batch size)").register(this.registry));
        snapshotsTaken = register(Counter.builder("cairn.raft.snapshots.taken").tags(tags).register(this.registry));
        snapshotsInstalled = register(Counter.builder("cairn.raft.snapshots.installed").tags(tags)
                .register(this.registry));
    }

    private <M extends Meter> M register(M meter) {
        meters.add(meter);
        return meter;
    }

    void term(long value) { term.set(value); }
    void commitIndex(long value) { commitIndex.set(value); }
    void appliedIndex(long value) { appliedIndex.set(value); }
    void leader(boolean local) { isLeader.set(local ? 1 : 0); }
    void leaderChanged() { leaderChanges.increment(); }
    void proposalCompleted(long nanos) { proposalLatency.record(nanos, TimeUnit.NANOSECONDS); }
    void persisted(long nanos, int entries) {
        persistLatency.record(nanos, TimeUnit.NANOSECONDS);
        entriesPerPersist.record(entries);
    }
    void snapshotTaken() { snapshotsTaken.increment(); }
    void snapshotInstalled() { snapshotsInstalled.increment(); }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
