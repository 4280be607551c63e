package io.cairn.raft.core;

import io.cairn.raft.core.ProgressView.State;
import java.util.ArrayList;
import java.util.List;

/**
 * How a leader handles proposals, acknowledgements, reads, leadership transfer and its timers.
 * Outgoing appends are left to the {@link Replicator}, which builds them when a Ready is assembled.
 */
final class LeaderBehavior {
    private final Raft r;

    LeaderBehavior(Raft raft) {
        this.r = raft;
    }

    // ---- time ----

    void tick() {
        r.heartbeatElapsed++;
        r.electionElapsed++;
        if (r.electionElapsed >= r.cfg.electionTicks()) {
            r.electionElapsed = 0;
            if (r.cfg.checkQuorum()) {
                if (!r.tracker.quorumActive(r.id)) {
                    // Cut off from a majority: another leader may already exist.
                    r.becomeFollower(r.term, 0);
                    return;
                }
                r.tracker.all().forEach((id, pr) -> pr.startActivityWindow(id == r.id));
            }
            if (r.leadTransferee != 0) {
                // The transfer did not finish within an election timeout: give up on it.
                r.leadTransferee = 0;
            }
        }
        if (r.heartbeatElapsed >= r.cfg.heartbeatTicks()) {
            r.heartbeatElapsed = 0;
            r.replicator.broadcastHeartbeat(r.reads.openRound());
        }
    }

    // ---- proposals ----

    void appendNoOp() {
        appendEntries(List.of(Entry.normal(0, 0, null)));
    }

    /** Appends proposals (positions unassigned) if every rule allows it. */
    ProposeResult propose(List<Entry> proposals) {
        if (proposals.isEmpty()) {
            return ProposeResult.APPENDED;
        }
        if (r.leadTransferee != 0) {
            return ProposeResult.TRANSFERRING;
        }
        int confChanges = 0;
        for (Entry e : proposals) {
            if (e.type() == EntryType.CONFIG_CHANGE) {
                confChanges++;
                if (confChanges > 1 || !configChangeAllowed(e)) {
                    return ProposeResult.CONFIG_CHANGE_REJECTED;
                }
            }
        }
        long bytes = payloadBytes(proposals);
        // An empty tail accepts any single batch, so an oversize proposal is not starved forever.
        if (r.uncommittedBytes > 0 && bytes > 0 && r.uncommittedBytes + bytes > r.cfg.maxUncommittedBytes()) {
            return ProposeResult.TOO_MANY_UNCOMMITTED;
        }
        r.uncommittedBytes += bytes;
        List<Entry> appended = appendEntries(proposals);
        for (Entry e : appended) {
            if (e.type() == EntryType.CONFIG_CHANGE) {
                r.pendingConfIndex = e.index();
            }
        }
        return ProposeResult.APPENDED;
    }

    private boolean configChangeAllowed(Entry entry) {
        if (!committedInOwnTerm()) {
            // A new leader learns which configuration is really committed only by committing in its term.
            return false;
        }
        if (r.pendingConfIndex > r.log.applied()) {
            // One change at a time: the previous one must be applied first.
            return false;
        }
        ClusterConfig current = r.tracker.config();
        ClusterConfig next;
        try {
            next = current.apply(ConfigChange.decode(entry.data()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return false;
        }
        return !next.equals(current) && !next.voters().isEmpty();
    }

    private List<Entry> appendEntries(List<Entry> proposals) {
        long index = r.log.lastIndex();
        List<Entry> positioned = new ArrayList<>(proposals.size());
        for (Entry e : proposals) {
            positioned.add(e.withPosition(r.term, ++index));
        }
        r.log.append(positioned);
        // The leader's own match advances only once the runtime reports the entries durable.
        return positioned;
    }

    static long payloadBytes(List<Entry> entries) {
        long bytes = 0;
        for (Entry e : entries) {
            bytes += e.data().length;
        }
        return bytes;
    }

    /** Committed entries were handed out: they no longer count against the uncommitted bound. */
    void committedHandedOut(List<Entry> entries) {
        r.uncommittedBytes = Math.max(0, r.uncommittedBytes - payloadBytes(entries));
    }

    boolean committedInOwnTerm() {
        return r.log.termOrNone(r.log.committed()) == r.term;
    }

    // ---- commit ----

    /** The leader's own entries became durable up to {@code persisted}. */
    void selfPersisted(long persisted) {
        Progress self = r.tracker.get(r.id);
        if (self != null && self.maybeUpdate(persisted)) {
            maybeCommit();
        }
    }

    /** Advances the commit index to what a quorum stores, counting only entries of this term. */
    void maybeCommit() {
        long quorumIndex = r.tracker.committed();
        boolean wasOwnTerm = committedInOwnTerm();
        boolean advanced;
        // NEGATIVE CONTROL (tests only): commit earlier-term entries by counting replicas (Raft figure 8).
        if (r.cfg.testFaults().contains(CoreFault.COMMIT_PREVIOUS_TERM_BY_COUNT)) {
            advanced = quorumIndex > r.log.committed();
            if (advanced) {
                r.log.commitTo(quorumIndex);
            }
        } else {
            advanced = r.log.maybeCommit(quorumIndex, r.term);
        }
        if (!advanced) {
            return;
        }
        if (!wasOwnTerm && committedInOwnTerm()) {
            r.reads.releaseDeferred(r.log.committed());
        }
        r.replicator.oweAll();
    }

    void membershipChanged() {
        maybeCommit();
        r.tracker.all().forEach((id, pr) -> {
            if (pr.match() == 0) {
                r.replicator.owe(id);
            }
        });
    }

    // ---- messages ----

    void step(Message m) {
        switch (m.type()) {
            case PROPOSE -> propose(m.entries());
            case READ_INDEX -> readIndex(m.context(), m.from());
            case TRANSFER_LEADER -> transferLeadership(m.context());
            default -> stepFromMember(m);
        }
    }

    private void stepFromMember(Message m) {
        Progress pr = r.tracker.get(m.from());
        if (pr == null) {
            return;
        }
        switch (m.type()) {
            case APPEND_RESPONSE -> handleAppendResponse(m, pr);
            case HEARTBEAT_RESPONSE -> handleHeartbeatResponse(m, pr);
            case SNAPSHOT_STATUS -> {
                if (pr.state() == State.SNAPSHOT) {
                    if (m.reject()) {
                        pr.snapshotFailed();
                    }
                    // Probe from just past the snapshot; wait for an answer or a heartbeat response.
                    pr.becomeProbe();
                    pr.pauseProbe();
                }
            }
            case UNREACHABLE -> {
                if (pr.state() == State.REPLICATE) {
                    pr.becomeProbe();
                }
            }
            default -> {
            }
        }
    }

    private void handleAppendResponse(Message m, Progress pr) {
        pr.setRecentActive(true);
        if (m.reject()) {
            long nextProbe = m.rejectHint();
            if (m.hintTerm() > 0) {
                // Skip every entry of ours whose term is above the follower's hint term.
                nextProbe = r.log.findConflictByTerm(m.rejectHint(), m.hintTerm()).index();
            }
            if (pr.maybeDecrTo(m.index(), nextProbe)) {
                if (pr.state() == State.REPLICATE) {
                    pr.becomeProbe();
                }
                r.replicator.owe(m.from());
            }
            return;
        }
        boolean wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.index())) {
            return;
        }
        switch (pr.state()) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match() + 1 >= r.log.firstIndex()) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights().freeLE(m.index());
        }
        maybeCommit();
        if (wasPaused) {
            r.replicator.owe(m.from());
        }
        if (m.from() == r.leadTransferee && pr.match() == r.log.lastIndex()) {
            r.replicator.sendTimeoutNow(m.from());
        }
    }

    private void handleHeartbeatResponse(Message m, Progress pr) {
        pr.setRecentActive(true);
        if (m.index() < pr.match()) {
            // The follower holds less than it acknowledged: its storage lost data. Find its
            // position again from scratch rather than waiting forever on a window it will reject.
            pr.logRegressed(m.index());
            r.replicator.owe(m.from());
        }
        pr.heartbeatAnswered();
        if (pr.state() == State.REPLICATE && pr.inflights().full()) {
            pr.inflights().freeFirstOne();
        }
        if (pr.match() < r.log.lastIndex()) {
            r.replicator.owe(m.from());
        }
        if (m.context() != 0) {
            releaseReads(r.reads.acknowledge(m.context(), m.from(), r.tracker.config()));
        }
    }

    // ---- reads ----

    /** Accepts a read request from {@code origin} (this node for local reads). */
    void readIndex(long requestId, long origin) {
        if (committedInOwnTerm()) {
            r.reads.add(requestId, origin, r.log.committed());
        } else {
            // The commit index may lag what an earlier leader acknowledged: wait for our no-op.
            r.reads.deferUntilOwnTermCommit(requestId, origin);
        }
    }

    void releaseReads(List<ReadIndexQueue.Request> released) {
        for (ReadIndexQueue.Request req : released) {
            if (req.origin() == r.id) {
                r.readStates.add(new ReadState(req.requestId(), req.index()));
            } else {
                r.send(r.message(MessageType.READ_INDEX_RESPONSE, req.origin()).index(req.index())
                        .context(req.requestId()));
            }
        }
    }

    // ---- leadership transfer ----

    void transferLeadership(long transferee) {
        if (transferee == r.id || !r.tracker.config().isVoter(transferee)) {
            return;
        }
        if (r.leadTransferee == transferee) {
            return;
        }
        r.leadTransferee = transferee;
        // The transfer must finish within one election timeout or it is abandoned.
        r.electionElapsed = 0;
        Progress pr = r.tracker.get(transferee);
        if (pr.match() == r.log.lastIndex()) {
            r.replicator.sendTimeoutNow(transferee);
        } else {
            r.replicator.owe(transferee);
        }
    }
}
