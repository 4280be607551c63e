package io.cairn.raft.core;

import io.cairn.raft.RaftConfig;
import java.util.List;
import java.util.Random;

/**
 * The Raft protocol as a pure, single-threaded state machine: no threads, no clock, no I/O.
 * Inputs are {@link #tick()}, {@link #step(Message)}, proposals and read requests; the output is
 * a {@link Ready} batch the runtime carries out. Given the same seed and inputs it produces the
 * same outputs, which is what makes the deterministic simulator possible.
 *
 * <p>Membership: the initial configuration comes from the log reader's snapshot (a bootstrap
 * snapshot at index 0 carries the founding voters). A configuration change takes effect when
 * its entry is committed and handed out in {@link Ready#committedEntries()}.
 *
 * <p>Not thread-safe: one thread owns an instance.
 */
public final class RaftCore {

    /**
     * Restores a core from durable state.
     *
     * @param config tunables; {@link RaftConfig#nodeId()} is this node
     * @param log the durable log as it is after a restart (or empty)
     * @param random the only source of randomness (election timeouts)
     */
    public RaftCore(RaftConfig config, LogReader log, Random random) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Advances logical time by one tick: election timeouts, heartbeats, quorum checks. */
    public void tick() {
        throw new UnsupportedOperationException();
    }

    /** Handles a message from a peer or a local message (SNAPSHOT_STATUS, UNREACHABLE). */
    public void step(Message message) {
        throw new UnsupportedOperationException();
    }

    /**
     * Proposes commands. On the leader they are appended in order (the last one at
     * {@link Status#lastIndex()} after the call); on a follower they are forwarded to the leader.
     */
    public ProposeResult propose(List<byte[]> commands) {
        throw new UnsupportedOperationException();
    }

    /**
     * Proposes a membership change. Rejected while another change is pending or before the
     * leader has committed an entry of its own term.
     */
    public ProposeResult proposeConfigChange(ConfigChange change) {
        throw new UnsupportedOperationException();
    }

    /**
     * Requests a linearizable read index. The answer arrives as a {@link ReadState} with the same
     * {@code requestId} once a quorum has confirmed this leader (forwarded to the leader when
     * called on a follower). Requests that cannot be answered are silently dropped; the runtime
     * times them out.
     */
    public void readIndex(long requestId) {
        throw new UnsupportedOperationException();
    }

    /** Asks the leader to hand leadership to {@code transferee} (forwarded when not leader). */
    public void transferLeadership(long transferee) {
        throw new UnsupportedOperationException();
    }

    /** Whether {@link #ready()} has anything to return. */
    public boolean hasReady() {
        throw new UnsupportedOperationException();
    }

    /** Takes everything pending since the last call. See {@link Ready} for what to do with it. */
    public Ready ready() {
        throw new UnsupportedOperationException();
    }

    /** Reports that {@code ready}'s snapshot, entries and hard state are durable. In production order. */
    public void onPersisted(Ready ready) {
        throw new UnsupportedOperationException();
    }

    /** Reports that the state machine has applied every entry up to {@code index}. */
    public void onApplied(long index) {
        throw new UnsupportedOperationException();
    }

    /** A snapshot of the current state. */
    public Status status() {
        throw new UnsupportedOperationException();
    }
}
