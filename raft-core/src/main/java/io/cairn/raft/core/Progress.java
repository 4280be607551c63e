package io.cairn.raft.core;

import io.cairn.raft.core.ProgressView.State;

/**
 * What the leader knows about one member's log: the highest index known to match, the next index
 * to send, and how to send it. PROBE sends one append per heartbeat interval until the follower's
 * position is known; REPLICATE streams appends within an inflight window; SNAPSHOT waits for a
 * snapshot to be installed.
 */
final class Progress {
    private long match;
    private long next;
    private State state = State.PROBE;
    /** In PROBE: an append was sent and no answer or heartbeat response came back yet. */
    private boolean probeSent;
    /** Heard from since the leader's last quorum check (CheckQuorum clears it every election timeout). */
    private boolean recentActive;
    /** Heard from in the window before that, so the view does not blank out right after each check. */
    private boolean activeInPreviousWindow;
    private long pendingSnapshot;
    private final Inflights inflights;

    Progress(long next, int maxInflightMessages, long maxInflightBytes) {
        this.next = next;
        this.inflights = new Inflights(maxInflightMessages, maxInflightBytes);
    }

    long match() {
        return match;
    }

    long next() {
        return next;
    }

    State state() {
        return state;
    }

    boolean recentActive() {
        return recentActive;
    }

    void setRecentActive(boolean active) {
        this.recentActive = active;
    }

    /** Starts a new activity window at a quorum check; {@code active} is the new window's start value. */
    void startActivityWindow(boolean active) {
        this.activeInPreviousWindow = recentActive;
        this.recentActive = active;
    }

    long pendingSnapshot() {
        return pendingSnapshot;
    }

    Inflights inflights() {
        return inflights;
    }

    boolean probeSent() {
        return probeSent;
    }

    /** Whether the leader must not send this member another append right now. */
    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    void becomeProbe() {
        // After a snapshot, resume from just past it; otherwise from just past the known match.
        long resumeAt = state == State.SNAPSHOT ? Math.max(match + 1, pendingSnapshot + 1) : match + 1;
        resetState(State.PROBE);
        next = resumeAt;
    }

    void becomeReplicate() {
        resetState(State.REPLICATE);
        next = match + 1;
    }

    void becomeSnapshot(long snapshotIndex) {
        resetState(State.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /** A snapshot transfer failed: forget it so the next probe may start another one. */
    void snapshotFailed() {
        pendingSnapshot = 0;
    }

    private void resetState(State newState) {
        state = newState;
        probeSent = false;
        pendingSnapshot = 0;
        inflights.reset();
    }

    /** Records that an append carrying entries up to {@code lastIndex} (inclusive) went out. */
    void sentEntries(int entryCount, long lastIndex, long bytes) {
        switch (state) {
            case REPLICATE -> {
                if (entryCount > 0) {
                    next = lastIndex + 1;
                    inflights.add(lastIndex, bytes);
                }
            }
            case PROBE -> probeSent = true;
            case SNAPSHOT -> throw new IllegalStateException("sending entries while a snapshot is pending");
        }
    }

    /**
     * The member reported a last index below its match: it lost data. Forget the match (which only
     * delays commits, never advances one) and probe from its reported end.
     */
    void logRegressed(long lastIndex) {
        resetState(State.PROBE);
        match = 0;
        next = lastIndex + 1;
    }

    /** Holds further probes until the follower answers (or a heartbeat response arrives). */
    void pauseProbe() {
        if (state == State.PROBE) {
            probeSent = true;
        }
    }

    /** A heartbeat response: the member is alive, so a paused probe may be retried. */
    void heartbeatAnswered() {
        probeSent = false;
    }

    /** Applies an acknowledgement of {@code index}; returns whether the match advanced. */
    boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /**
     * Handles a rejected append of {@code rejected} (its previous index) with the follower's hint
     * that logs may match at {@code matchHint}. Returns false for a stale rejection.
     */
    boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == State.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        probeSent = false;
        return true;
    }

    ProgressView view() {
        return new ProgressView(match, next, state, recentActive || activeInPreviousWindow);
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next + (probeSent ? " paused" : "")
                + (pendingSnapshot > 0 ? " snapshot=" + pendingSnapshot : "");
    }
}
