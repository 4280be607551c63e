package io.cairn.raft.core;

import io.cairn.raft.RaftConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Raft protocol as a pure, single-threaded state machine: no threads, no clock, no I/O.
 * Inputs are {@link #tick()}, {@link #step(Message)}, proposals and read requests; the output is
 * a {@link Ready} batch the runtime carries out. Given the same seed and inputs it produces the
 * same outputs, which is what makes the deterministic simulator possible.
 *
 * <p>Membership: the initial configuration comes from the log reader's snapshot (a bootstrap
 * snapshot at index 0 carries the founding voters) plus the committed configuration entries after
 * it. A configuration change takes effect when its entry is committed and handed out in
 * {@link Ready#committedEntries()}.
 *
 * <p>Not thread-safe: one thread owns an instance.
 */
public final class RaftCore {
    private final Raft raft;
    private HardState lastHardState;
    private SoftState lastSoftState;
    private long nextSequence = 1;
    /** Sequences of handed-out Readys that carry writes not yet reported durable. */
    private final Deque<Long> unpersisted = new ArrayDeque<>();

    /**
     * Restores a core from durable state, assuming the state machine holds exactly the snapshot.
     *
     * @param config tunables; {@link RaftConfig#nodeId()} is this node
     * @param log the durable log as it is after a restart (or empty)
     * @param random the only source of randomness (election timeouts)
     */
    public RaftCore(RaftConfig config, LogReader log, Random random) {
        this(config, log, log.snapshot().index(), random);
    }

    /**
     * Restores a core from durable state and the state machine's progress: committed entries after
     * {@code appliedIndex} are handed out again, earlier ones never.
     *
     * @param config tunables; {@link RaftConfig#nodeId()} is this node
     * @param log the durable log as it is after a restart (or empty)
     * @param appliedIndex the state machine's last applied index, between the log's snapshot index
     *     and its last index
     * @param random the only source of randomness (election timeouts)
     */
    public RaftCore(RaftConfig config, LogReader log, long appliedIndex, Random random) {
        this.raft = new Raft(config, log, appliedIndex, random);
        this.lastHardState = log.hardState();
        this.lastSoftState = raft.softState();
    }

    /** Advances logical time by one tick: election timeouts, heartbeats, quorum checks. */
    public void tick() {
        raft.tick();
    }

    /**
     * Reports that {@code peer} is up (the runtime saw it open a connection to this node). A
     * member that has just booted uses it to campaign as soon as a quorum of voters is
     * up rather than when its randomized timer runs out; otherwise it is ignored. Safe to call at
     * any time and any number of times.
     */
    public void peerReachable(long peer) {
        raft.peerReachable(peer);
    }

    /** Handles a message from a peer or a local message (SNAPSHOT_STATUS, UNREACHABLE). */
    public void step(Message message) {
        if (message.to() != raft.id && message.to() != 0) {
            return;
        }
        raft.step(message);
    }

    /**
     * Proposes commands. On the leader they are appended in order (the last one at
     * {@link Status#lastIndex()} after the call); on a follower they are forwarded to the leader.
     */
    public ProposeResult propose(List<byte[]> commands) {
        List<Entry> entries = new ArrayList<>(commands.size());
        for (byte[] command : commands) {
            entries.add(Entry.normal(0, 0, command));
        }
        return proposeEntries(entries);
    }

    /**
     * Proposes a membership change. Rejected while another change is pending or before the
     * leader has committed an entry of its own term.
     */
    public ProposeResult proposeConfigChange(ConfigChange change) {
        return proposeEntries(List.of(new Entry(0, 0, EntryType.CONFIG_CHANGE, change.encode())));
    }

    private ProposeResult proposeEntries(List<Entry> entries) {
        if (raft.role == Role.LEADER) {
            return raft.leader.propose(entries);
        }
        if (raft.role != Role.FOLLOWER) {
            return ProposeResult.NO_LEADER;
        }
        Message forward = raft.message(MessageType.PROPOSE, raft.lead).entries(entries).build();
        return raft.follower.forwardToLeader(forward) ? ProposeResult.FORWARDED : ProposeResult.NO_LEADER;
    }

    /**
     * Requests a linearizable read index. The answer arrives as a {@link ReadState} with the same
     * {@code requestId} once a quorum has confirmed this leader (forwarded to the leader when
     * called on a follower). Requests that cannot be answered are silently dropped; the runtime
     * times them out.
     */
    public void readIndex(long requestId) {
        if (raft.role == Role.LEADER) {
            raft.leader.readIndex(requestId, raft.id);
        } else if (raft.role == Role.FOLLOWER) {
            raft.follower.forwardToLeader(raft.message(MessageType.READ_INDEX, raft.lead).context(requestId).build());
        }
    }

    /** Asks the leader to hand leadership to {@code transferee} (forwarded when not leader). */
    public void transferLeadership(long transferee) {
        if (raft.role == Role.LEADER) {
            raft.leader.transferLeadership(transferee);
        } else if (raft.role == Role.FOLLOWER) {
            raft.follower.forwardToLeader(
                    raft.message(MessageType.TRANSFER_LEADER, raft.lead).context(transferee).build());
        }
    }

    /** Whether {@link #ready()} has anything to return. */
    public boolean hasReady() {
        RaftLog log = raft.log;
        return !raft.outbox.isEmpty() || !raft.readStates.isEmpty() || log.hasEntriesToHandOut()
                || log.hasSnapshotToHandOut() || log.hasCommittedToHandOut()
                || !raft.hardState().equals(lastHardState) || !raft.softState().equals(lastSoftState)
                || (raft.role == Role.LEADER && raft.replicator.hasWork());
    }

    /** Takes everything pending since the last call. See {@link Ready} for what to do with it. */
    public Ready ready() {
        RaftLog log = raft.log;
        SnapshotMetadata snapshot = log.takeSnapshotToPersist();
        List<Entry> committed = log.takeCommittedEntries();
        putConfigChangesInForce(committed);
        if (raft.role == Role.LEADER) {
            raft.leader.committedHandedOut(committed);
            raft.replicator.flush();
        }
        List<Entry> entries = log.takeEntriesToPersist();
        HardState hardState = raft.hardState();
        boolean hardStateChanged = !hardState.equals(lastHardState);
        boolean persists = snapshot != null || !entries.isEmpty() || hardStateChanged;
        if (!persists && raft.outbox.hasPromises() && !unpersisted.isEmpty()) {
            // A promise may rest on an earlier Ready still being written (an append acknowledged
            // again, a vote repeated). Carrying the hard state makes this Ready a write too, and
            // writes complete in order, so its promises go out after the earlier ones are durable.
            persists = true;
            hardStateChanged = true;
        }
        lastHardState = hardState;

        List<Message> now = new ArrayList<>();
        List<Message> afterPersist = new ArrayList<>();
        for (Message m : raft.outbox.drain()) {
            (persists && Outbox.mustFollowPersist(m.type()) ? afterPersist : now).add(m);
        }
        SoftState softState = raft.softState();
        SoftState softChange = softState.equals(lastSoftState) ? null : softState;
        lastSoftState = softState;
        List<ReadState> readStates = List.copyOf(raft.readStates);
        raft.readStates.clear();

        long sequence = nextSequence++;
        if (persists) {
            unpersisted.add(sequence);
        }
        return new Ready(sequence, now, snapshot, entries, hardStateChanged ? hardState : null, afterPersist,
                committed, readStates, softChange);
    }

    private void putConfigChangesInForce(List<Entry> committed) {
        for (Entry e : committed) {
            if (e.type() == EntryType.CONFIG_CHANGE && e.index() > raft.configAppliedIndex) {
                raft.applyConfigChange(e);
            }
        }
    }

    /** Reports that {@code ready}'s snapshot, entries and hard state are durable. In production order. */
    public void onPersisted(Ready ready) {
        unpersisted.remove(ready.sequence());
        if (ready.snapshot() != null) {
            raft.log.snapshotStable(ready.snapshot());
        }
        if (!ready.entries().isEmpty()) {
            Entry last = ready.entries().get(ready.entries().size() - 1);
            raft.log.stableTo(last.index(), last.term());
        }
        if (raft.role == Role.LEADER) {
            raft.leader.selfPersisted(raft.log.persisted());
        }
    }

    /** Reports that the state machine has applied every entry up to {@code index}. */
    public void onApplied(long index) {
        raft.log.appliedTo(index);
    }

    /** A snapshot of the current state. */
    public Status status() {
        return new Status(raft.id, raft.role, raft.term, raft.lead, raft.log.committed(), raft.log.applied(),
                raft.log.lastIndex(), raft.log.persisted(), raft.tracker.config(), raft.leadTransferee);
    }

    /**
     * On the leader, each member's replication progress (this node included), in id order; empty
     * on other roles. Used to promote learners once caught up and for statistics.
     */
    public Map<Long, ProgressView> progress() {
        if (raft.role != Role.LEADER) {
            return Map.of();
        }
        Map<Long, ProgressView> views = new LinkedHashMap<>();
        raft.tracker.all().forEach((id, pr) -> views.put(id, pr.view()));
        return Collections.unmodifiableMap(views);
    }
}
