package io.cairn.raft.core;

/** How a follower handles messages of its current term: it accepts the leader's log and forwards requests. */
final class FollowerBehavior {
    private final Raft r;

    FollowerBehavior(Raft raft) {
        this.r = raft;
    }

    void step(Message m) {
        switch (m.type()) {
            case PROPOSE, READ_INDEX, TRANSFER_LEADER -> forwardToLeader(m);
            case APPEND -> {
                heardFromLeader(m);
                handleAppend(m);
            }
            case HEARTBEAT -> {
                heardFromLeader(m);
                handleHeartbeat(m);
            }
            case SNAPSHOT -> {
                heardFromLeader(m);
                handleSnapshot(m);
            }
            case TIMEOUT_NOW -> r.hup(true);
            case READ_INDEX_RESPONSE -> r.readStates.add(new ReadState(m.context(), m.index()));
            default -> {
                // Responses addressed to an earlier role of this node are stale.
            }
        }
    }

    /** Forwards this node's own request to the known leader; false (dropped) without one or when a peer sent it. */
    boolean forwardToLeader(Message m) {
        if (r.lead == 0) {
            return false;
        }
        if (m.from() != r.id) {
            // A peer forwarded this here on stale leader information. Passing it on would send a
            // message in the peer's name (and two such peers could bounce it forever); a dropped
            // request is one Raft already copes with: its sender times out and retries.
            return false;
        }
        r.outbox.add(m.toBuilder().to(r.lead).build());
        return true;
    }

    private void heardFromLeader(Message m) {
        r.electionElapsed = 0;
        r.leaderSuspected = false;
        r.lead = m.from();
    }

    private void handleAppend(Message m) {
        RaftLog log = r.log;
        if (m.index() < log.committed()) {
            // Everything up to our commit matches the leader's log already.
            r.send(r.message(MessageType.APPEND_RESPONSE, m.from()).index(log.committed()));
            return;
        }
        if (m.index() == 0 && m.snapshot() != null) {
            adoptBootstrapMembership(m.snapshot());
        }
        long lastNew = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            r.send(r.message(MessageType.APPEND_RESPONSE, m.from()).index(lastNew));
            return;
        }
        // Point the leader at the last entry that could match: skips a whole term per round trip.
        RaftLog.Position hint = log.findConflictByTerm(Math.min(m.index(), log.lastIndex()), m.logTerm());
        r.send(r.message(MessageType.APPEND_RESPONSE, m.from()).index(m.index()).reject(true)
                .rejectHint(hint.index()).hintTerm(hint.term()));
    }

    /**
     * A node started with no configuration (to join an existing group) learns the founding
     * members from the leader's first append; it is persisted as a snapshot point at index 0.
     */
    private void adoptBootstrapMembership(SnapshotMetadata bootstrap) {
        SnapshotMetadata own = r.log.snapshot();
        boolean neverBootstrapped = own.index() == 0 && own.config().members().isEmpty();
        if (!neverBootstrapped || bootstrap.index() != 0 || bootstrap.config().members().isEmpty()
                || r.log.committed() != 0) {
            return;
        }
        r.log.restore(bootstrap);
        r.configAppliedIndex = 0;
        r.tracker.setConfig(bootstrap.config(), r.log.lastIndex());
    }

    private void handleHeartbeat(Message m) {
        // The leader caps the commit at our match, so it never exceeds what we hold.
        r.log.commitTo(Math.min(m.commit(), r.log.lastIndex()));
        // Our last index lets the leader notice a log that regressed (for example a wiped disk).
        r.send(r.message(MessageType.HEARTBEAT_RESPONSE, m.from()).context(m.context()).index(r.log.lastIndex()));
    }

    private void handleSnapshot(Message m) {
        SnapshotMetadata snapshot = m.snapshot();
        RaftLog log = r.log;
        if (snapshot == null || snapshot.index() <= log.committed()) {
            r.send(r.message(MessageType.APPEND_RESPONSE, m.from()).index(log.committed()));
            return;
        }
        if (log.matchTerm(snapshot.index(), snapshot.term())) {
            // Our log already holds the snapshot's last entry: just fast-forward the commit.
            log.commitTo(snapshot.index());
            r.send(r.message(MessageType.APPEND_RESPONSE, m.from()).index(log.committed()));
            return;
        }
        log.restore(snapshot);
        r.configAppliedIndex = snapshot.index();
        r.tracker.setConfig(snapshot.config(), log.lastIndex());
        r.send(r.message(MessageType.APPEND_RESPONSE, m.from()).index(log.lastIndex()));
    }
}
