package io.cairn.raft.node;

/**
 * A leader's lease for {@link io.cairn.raft.RaftConfig.ReadMode#LEASE} reads, on the monotonic
 * clock. A quorum that acknowledged a heartbeat round sent at time T will not vote for another
 * candidate (CheckQuorum) until at least one election timeout after T on their clocks, so the
 * leader may serve reads locally until {@code T + duration}, with {@code duration} shorter than
 * the minimum election timeout to absorb clock-rate drift.
 *
 * <p>The lease is dropped on a term change, on losing leadership, on a leadership transfer
 * (TimeoutNow bypasses the followers' lease) and whenever a pause is detected: a tick that
 * arrives much later than scheduled means this process stopped for a while (GC, VM freeze) and
 * may have missed a new election.
 *
 * <p>Confined to the event loop.
 */
final class LeaderLease {
    private final long durationNanos;
    private final long pauseThresholdNanos;
    private long term = -1;
    private long validUntilNanos;
    private boolean valid;
    private long lastTickNanos;

    /**
     * @param durationNanos how long a confirmed round keeps the lease (less than the election timeout)
     * @param pauseThresholdNanos a gap between ticks longer than this counts as a pause
     */
    LeaderLease(long durationNanos, long pauseThresholdNanos, long nowNanos) {
        this.durationNanos = durationNanos;
        this.pauseThresholdNanos = pauseThresholdNanos;
        this.lastTickNanos = nowNanos;
    }

    /** A quorum acknowledged a heartbeat round sent at {@code sentNanos} while leader of {@code roundTerm}. */
    void confirmed(long sentNanos, long roundTerm) {
        if (valid && roundTerm != term) {
            valid = false;
        }
        if (!valid || sentNanos + durationNanos - validUntilNanos > 0) {
            term = roundTerm;
            validUntilNanos = sentNanos + durationNanos;
            valid = true;
        }
    }

    /** Records a tick; a late one reveals a pause and drops the lease. */
    void onTick(long nowNanos) {
        if (nowNanos - lastTickNanos > pauseThresholdNanos) {
            valid = false;
        }
        lastTickNanos = nowNanos;
    }

    /** Drops the lease (term change, leadership lost or being transferred). */
    void invalidate() {
        valid = false;
    }

    /** Whether a leader of {@code currentTerm} may serve a read locally right now. */
    boolean isValid(long nowNanos, long currentTerm) {
        if (!valid || currentTerm != term) {
            return false;
        }
        if (nowNanos - lastTickNanos > pauseThresholdNanos) {
            // The ticker itself is late: this process may be paused right now.
            valid = false;
            return false;
        }
        return validUntilNanos - nowNanos > 0;
    }
}
