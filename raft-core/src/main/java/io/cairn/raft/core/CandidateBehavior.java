package io.cairn.raft.core;

/** How a (pre-)candidate handles messages of its current term: it counts votes and yields to a leader. */
final class CandidateBehavior {
    private final Raft r;

    CandidateBehavior(Raft raft) {
        this.r = raft;
    }

    void step(Message m) {
        switch (m.type()) {
            case APPEND, HEARTBEAT, SNAPSHOT -> {
                // A leader exists in this term.
                r.becomeFollower(m.term(), m.from());
                r.follower.step(m);
            }
            case PRE_VOTE_RESPONSE -> {
                if (r.role == Role.PRE_CANDIDATE) {
                    tally(m);
                }
            }
            case VOTE_RESPONSE -> {
                if (r.role == Role.CANDIDATE) {
                    tally(m);
                }
            }
            default -> {
                // No leader to forward requests to; the runtime times them out.
            }
        }
    }

    private void tally(Message m) {
        r.tracker.recordVote(m.from(), !m.reject());
        switch (r.tracker.voteResult()) {
            case WON -> {
                if (!r.promotable()) {
                    // Removed from the voters while campaigning (a change was put in force).
                    r.becomeFollower(r.term, 0);
                } else if (r.role == Role.PRE_CANDIDATE) {
                    r.campaign(Raft.Campaign.ELECTION);
                } else {
                    r.becomeLeader();
                }
            }
            case LOST -> {
                boolean election = r.role == Role.CANDIDATE;
                r.becomeFollower(r.term, 0);
                if (election) {
                    r.staggerRetryAfterLostElection();
                }
            }
            case PENDING -> {
            }
        }
    }
}
