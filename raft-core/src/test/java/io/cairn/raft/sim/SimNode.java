package io.cairn.raft.sim;

import static io.cairn.raft.sim.InvariantViolation.Kind.APPLY_ORDER;
import static io.cairn.raft.sim.InvariantViolation.Kind.SNAPSHOT;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.ProposeResult;
import io.cairn.raft.core.RaftCore;
import io.cairn.raft.core.ReadState;
import io.cairn.raft.core.Ready;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.core.Status;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One simulated server: a {@link RaftCore}, its {@link SimDisk}, a {@link SimStateMachine}, and a
 * runtime that follows {@link Ready}'s contract to the letter, with asynchronous persistence:
 * messagesNow leave at once, a Ready's writes become durable after a random delay, and only then
 * (in production order) are its messagesAfterPersist sent and {@link RaftCore#onPersisted} called.
 * A Ready that only moves the commit index is acknowledged without being forced, as FileStorage
 * does, so a crash may lose it unless a later write was forced.
 * Committed entries are applied as soon as they are handed out, after checking they are durable.
 */
final class SimNode {
    private record SnapshotKey(long index, long term) {
    }

    private final long id;
    private final long seed;
    private final RaftConfig config;
    private final SimWorld world;
    private final SimDisk disk;
    private final long tickPeriod;

    private int life;
    private RaftCore core;
    private SimStateMachine stateMachine;
    private ClusterConfig appliedMembership;
    /** Readys whose persistence has not completed yet, oldest first. */
    private final ArrayDeque<Ready> unpersisted = new ArrayDeque<>();
    /** Readys that only moved the commit index: acknowledged unforced, so a crash may lose them. */
    private final Set<Long> commitOnly = new HashSet<>();
    /** Commit-only writes acknowledged but not yet forced; the next forced write forces them too. */
    private int unforcedWrites;
    private long lastPersistCompletion;
    /** Images that arrived beside SNAPSHOT messages in this life, for when the core installs one. */
    private final Map<SnapshotKey, SnapshotImage> receivedImages = new HashMap<>();

    SimNode(long id, long seed, RaftConfig config, SimWorld world, SnapshotMetadata bootstrap, long tickPeriod) {
        this.id = id;
        this.seed = seed;
        this.config = config;
        this.world = world;
        this.disk = new SimDisk(bootstrap, world != null && world.options().storageKeepsTermBeforeFirst);
        this.tickPeriod = tickPeriod;
    }

    long id() {
        return id;
    }

    int life() {
        return life;
    }

    boolean isUp() {
        return core != null;
    }

    SimDisk disk() {
        return disk;
    }

    Status status() {
        return core.status();
    }

    long applied() {
        return stateMachine.applied();
    }

    /** The value this node applied at {@code index}, or {@code null} if it has not got that far. */
    Long appliedValueAt(long index) {
        return index <= stateMachine.applied() ? stateMachine.valueAt(index) : null;
    }

    /** Boots from whatever is durable: a fresh core, a state machine restored from the snapshot. */
    void start() {
        life++;
        SimLog durable = disk.durable();
        stateMachine = new SimStateMachine(durable.image());
        appliedMembership = durable.snapshot().config();
        lastPersistCompletion = world.events().now();
        core = new RaftCore(config, disk, new Random(seed * 1_000_003L + id * 7_919L + life));
        scheduleTick(life, 1 + world.random().nextInt((int) tickPeriod));
        drive();
    }

    /** Power cut: volatile state is gone, unsynced writes survive only as a random prefix. */
    void crash() {
        core = null;
        stateMachine = null;
        unpersisted.clear();
        commitOnly.clear();
        unforcedWrites = 0;
        receivedImages.clear();
        int pending = disk.unsyncedWrites();
        int survived = disk.crash(world.random(), world.options().crashSurviveChance);
        world.stats().crashes++;
        world.stats().unsyncedWritesLost += pending - survived;
        world.checker().afterStep(this);
    }

    void deliver(Message message, SnapshotImage image) {
        if (image != null) {
            receivedImages.put(new SnapshotKey(message.snapshot().index(), message.snapshot().term()), image);
        }
        core.step(message);
        drive();
    }

    /** A message from the runtime itself (SNAPSHOT_STATUS, UNREACHABLE). */
    void stepLocal(Message message) {
        core.step(message);
        drive();
    }

    ProposeResult propose(List<byte[]> payloads) {
        ProposeResult result = core.propose(payloads);
        drive();
        return result;
    }

    ProposeResult proposeConfigChange(ConfigChange change) {
        ProposeResult result = core.proposeConfigChange(change);
        drive();
        return result;
    }

    void transferLeadership(long transferee) {
        core.transferLeadership(transferee);
        drive();
    }

    void readIndex(long requestId) {
        core.readIndex(requestId);
        drive();
    }

    private void scheduleTick(int tickLife, long delay) {
        world.events().after(delay, () -> "tick " + id, () -> {
            if (tickLife != life || core == null) {
                return;
            }
            core.tick();
            drive();
            scheduleTick(tickLife, tickPeriod);
        });
    }

    /** Carries out every Ready the core has, then lets the checker look at the result. */
    private void drive() {
        while (core.hasReady()) {
            handle(core.ready());
        }
        world.checker().afterStep(this);
    }

    private void handle(Ready ready) {
        for (Message m : ready.messagesNow()) {
            send(m);
        }
        long delay = 0;
        if (ready.needsPersist()) {
            SnapshotImage image = ready.snapshot() == null ? null : receivedImage(ready.snapshot());
            if (onlyMovesCommit(ready)) {
                commitOnly.add(ready.sequence());
            }
            disk.write(new SimWrite(ready.snapshot(), image, ready.entries(), ready.hardState()));
            if (ready.snapshot() != null) {
                world.checker().onSnapshotWrite(this, ready.snapshot(), image);
            }
            world.checker().onWrite(this, ready.entries());
            delay = 1 + world.random().nextInt(world.options().maxPersistDelay);
        }
        // Every Ready joins the ordered persistence pipeline, even one with nothing to write: its
        // acknowledgements may promise entries an earlier, still unsynced Ready wrote.
        unpersisted.addLast(ready);
        long now = world.events().now();
        lastPersistCompletion = Math.max(now + delay, lastPersistCompletion);
        int persistLife = life;
        world.events().after(lastPersistCompletion - now, () -> "persisted " + id + " ready#" + ready.sequence(),
                () -> persisted(persistLife));
        apply(ready.committedEntries());
        for (ReadState read : ready.readStates()) {
            world.workload().onReadState(this, read);
        }
    }

    /** No snapshot, no entries, the same term and vote: only the commit index moves. */
    private boolean onlyMovesCommit(Ready ready) {
        HardState before = disk.written().hardState();
        HardState after = ready.hardState();
        return ready.snapshot() == null && ready.entries().isEmpty() && after != null
                && after.term() == before.term() && after.votedFor() == before.votedFor();
    }

    private SnapshotImage receivedImage(SnapshotMetadata meta) {
        SnapshotImage image = receivedImages.get(new SnapshotKey(meta.index(), meta.term()));
        if (image == null) {
            throw new InvariantViolation(SNAPSHOT, "node " + id + " installs snapshot " + meta.index() + "/"
                    + meta.term() + " that it never received");
        }
        return image;
    }

    private void persisted(int persistLife) {
        if (persistLife != life || core == null) {
            return;
        }
        Ready ready = unpersisted.removeFirst();
        if (commitOnly.remove(ready.sequence())) {
            unforcedWrites++; // as FileStorage does: acknowledged, durable with the next forced write
        } else if (ready.needsPersist()) {
            for (; unforcedWrites >= 0; unforcedWrites--) {
                disk.syncNext();
            }
            unforcedWrites = 0;
        }
        for (Message m : ready.messagesAfterPersist()) {
            send(m);
        }
        core.onPersisted(ready);
        if (ready.snapshot() != null) {
            restoreFromSnapshot(ready.snapshot());
        }
        drive();
    }

    private void restoreFromSnapshot(SnapshotMetadata meta) {
        if (meta.index() <= stateMachine.applied()) {
            throw new InvariantViolation(SNAPSHOT, "node " + id + " installed snapshot " + meta.index()
                    + " but has already applied " + stateMachine.applied());
        }
        stateMachine.restore(disk.durable().image());
        appliedMembership = meta.config();
        world.stats().snapshotsInstalled++;
        core.onApplied(meta.index());
    }

    private void apply(List<Entry> committed) {
        if (committed.isEmpty()) {
            return;
        }
        SimLog durable = disk.durable();
        for (Entry e : committed) {
            if (e.index() != stateMachine.applied() + 1) {
                throw new InvariantViolation(APPLY_ORDER, "node " + id + " was handed " + e + " to apply after "
                        + stateMachine.applied());
            }
            if (!durable.contains(e.index(), e.term())) {
                throw new InvariantViolation(APPLY_ORDER, "node " + id + " was handed " + e
                        + " to apply before it was durable locally (" + durable + ")");
            }
            stateMachine.apply(e);
            if (e.type() == EntryType.CONFIG_CHANGE) {
                appliedMembership = appliedMembership.apply(ConfigChange.decode(e.data()));
            }
            world.checker().onApply(this, e);
            world.workload().onApplied(this, e);
        }
        core.onApplied(stateMachine.applied());
        maybeTakeSnapshot();
    }

    /** Compacts the log behind a fresh snapshot every {@code snapshotEveryEntries} applied entries. */
    private void maybeTakeSnapshot() {
        long applied = stateMachine.applied();
        SimLog durable = disk.durable();
        if (applied - durable.snapshot().index() < config.snapshotEveryEntries()) {
            return;
        }
        SnapshotMetadata meta = new SnapshotMetadata(applied, durable.term(applied), appliedMembership);
        disk.compact(meta, stateMachine.image(), applied - config.entriesKeptAfterSnapshot() + 1);
        world.stats().snapshotsTaken++;
    }

    private void send(Message m) {
        if (m.from() != id) {
            throw new InvariantViolation(InvariantViolation.Kind.FORGED_SENDER, "node " + id + " sent " + m.type()
                    + " from " + m.from() + " to " + m.to());
        }
        SnapshotImage image = null;
        if (m.type() == MessageType.SNAPSHOT) {
            SimLog durable = disk.durable();
            image = durable.snapshot().equals(m.snapshot()) ? durable.image() : null;
        }
        world.send(this, m, image);
    }

    @Override
    public String toString() {
        return "node " + id + (core == null ? " (down)" : " life " + life) + " " + disk;
    }
}
