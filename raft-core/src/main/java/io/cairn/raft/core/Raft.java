package io.cairn.raft.core;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftConfig.ReadMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The protocol state shared by the role behaviours: term, vote, role, leader, log, membership and
 * timers, plus what every role does alike (term checks, votes, elections, role transitions,
 * applying configuration changes). Role-specific message handling lives in
 * {@link FollowerBehavior}, {@link CandidateBehavior} and {@link LeaderBehavior}.
 */
final class Raft {
    /** Why a node campaigns. */
    enum Campaign { PRE_ELECTION, ELECTION, TRANSFER }

    final RaftConfig cfg;
    final long id;
    final RaftLog log;
    final ProgressTracker tracker;
    final Outbox outbox = new Outbox();
    final ReadIndexQueue reads = new ReadIndexQueue();
    final List<ReadState> readStates = new ArrayList<>();
    private final Random random;

    final FollowerBehavior follower = new FollowerBehavior(this);
    final CandidateBehavior candidate = new CandidateBehavior(this);
    final LeaderBehavior leader = new LeaderBehavior(this);
    final Replicator replicator = new Replicator(this);

    long term;
    long vote;
    long lead;
    Role role = Role.FOLLOWER;

    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;
    /** On a (pre-)candidate: the kind of campaign it runs. */
    private Campaign campaign = Campaign.ELECTION;
    /** On a follower: the runtime reported the leader unreachable since it was last heard. */
    boolean leaderSuspected;
    /**
     * From boot until this node first hears of a leader or campaigns: the voters the runtime has
     * reported reachable (see {@link #peerReachable}); null otherwise.
     */
    private Set<Long> reachableSinceBoot;

    long leadTransferee;
    /** On a leader: index of the last configuration entry it appended (or its last index at election). */
    long pendingConfIndex;
    /** Index of the last configuration entry whose change is in force. */
    long configAppliedIndex;
    /** On a leader: payload bytes appended in its term and not yet committed. */
    long uncommittedBytes;

    Raft(RaftConfig cfg, LogReader reader, long appliedIndex, Random random) {
        this.cfg = cfg;
        this.id = cfg.nodeId();
        this.random = random;
        this.log = new RaftLog(reader, appliedIndex);
        ConfigHistory.Restored restored = ConfigHistory.restore(log, reader.snapshot());
        this.configAppliedIndex = restored.index();
        this.tracker = new ProgressTracker(restored.config(), cfg.maxInflightMessages(), cfg.maxInflightBytes());
        HardState hs = reader.hardState();
        this.term = hs.term();
        this.vote = hs.votedFor();
        becomeFollower(term, 0);
        if (cfg.initialElectionTickAdvance() && promotable() && tracker.config().voters().size() > 1) {
            advanceBootElectionTimer();
            reachableSinceBoot = new HashSet<>();
        }
    }

    /**
     * Leaves between one heartbeat interval plus a tick and one election timeout on the timer:
     * long enough to hear a live leader's heartbeat first, random enough that members booted
     * together rarely campaign at once.
     */
    private void advanceBootElectionTimer() {
        int least = cfg.heartbeatTicks() + 1;
        int remaining = least + random.nextInt(Math.max(1, cfg.electionTicks() - least + 1));
        electionElapsed = Math.max(0, randomizedElectionTimeout - remaining);
    }

    /**
     * The runtime reports a connection to {@code peer} up. A booting member's election can first
     * succeed once a quorum of voters is up, which the random boot timer knows nothing of: it may
     * run out before the peers have started (the votes are lost) or long after. So once a quorum
     * is known up, and no leader has been heard of, the timer is brought forward to one heartbeat
     * interval plus a tick (time for a live leader's heartbeat to arrive), plus a tick per voter
     * of lower id, so that members that see the quorum together campaign one after another. A
     * timer already due sooner is left alone. Only the timing changes: the campaign starts with
     * PreVote as any other, and a node that has heard of a leader since boot ignores this.
     */
    void peerReachable(long peer) {
        if (reachableSinceBoot == null) {
            return;
        }
        if (lead != 0 || role != Role.FOLLOWER || !promotable()) {
            reachableSinceBoot = null;
            return;
        }
        Set<Long> voters = tracker.config().voters();
        if (peer == id || !voters.contains(peer) || !reachableSinceBoot.add(peer)) {
            return;
        }
        Set<Long> up = new HashSet<>(reachableSinceBoot);
        up.add(id);
        if (Quorum.isMajority(voters, up)) {
            reachableSinceBoot = null;
            long rank = voters.stream().filter(v -> v < id).count();
            int remaining = (int) (cfg.heartbeatTicks() + 1 + rank);
            electionElapsed = Math.max(electionElapsed, randomizedElectionTimeout - remaining);
        }
    }

    /**
     * After a lost election, which is most often a split vote between members that campaigned at
     * once, retries after two heartbeat intervals per voter of lower id instead of a whole random
     * election timeout: the losers' next attempts are staggered rather than left to chance, and
     * a member that did win reaches them with its first heartbeat well before the earliest retry.
     * The retry starts with PreVote, so a loser whose log is behind gives way without a new term.
     */
    void staggerRetryAfterLostElection() {
        long rank = tracker.config().voters().stream().filter(v -> v < id).count();
        long remaining = 2L * cfg.heartbeatTicks() * (1 + rank);
        electionElapsed = (int) Math.max(0, randomizedElectionTimeout - remaining);
    }

    HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    SoftState softState() {
        return new SoftState(lead, role, term);
    }

    /** A message from this node, stamped with the current term (forwarded requests carry term 0). */
    Message.Builder message(MessageType type, long to) {
        boolean forwarded = type == MessageType.PROPOSE || type == MessageType.READ_INDEX
                || type == MessageType.TRANSFER_LEADER;
        return Message.builder(type).from(id).to(to).term(forwarded ? 0 : term);
    }

    void send(Message.Builder message) {
        outbox.add(message.build());
    }

    // ---- role transitions ----

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = HardState.NO_VOTE;
        }
        lead = 0;
        leaderSuspected = false;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = cfg.electionTicks() + random.nextInt(cfg.electionTicks());
        leadTransferee = 0;
        pendingConfIndex = 0;
        uncommittedBytes = 0;
        tracker.resetVotes();
        tracker.resetProgress(log.lastIndex());
        reads.reset();
        replicator.reset();
    }

    void becomeFollower(long newTerm, long leader) {
        reset(newTerm);
        lead = leader;
        role = Role.FOLLOWER;
    }

    private void becomePreCandidate() {
        // No term change: a PreVote round only asks whether an election could succeed.
        tracker.resetVotes();
        lead = 0;
        role = Role.PRE_CANDIDATE;
    }

    private void becomeCandidate() {
        reset(term + 1);
        vote = id;
        role = Role.CANDIDATE;
    }

    void becomeLeader() {
        reset(term);
        lead = id;
        role = Role.LEADER;
        Progress self = tracker.get(id);
        self.maybeUpdate(log.persisted());
        self.becomeReplicate();
        // Any configuration entry in the inherited tail may still be pending.
        pendingConfIndex = log.lastIndex();
        leader.appendNoOp();
    }

    // ---- elections ----

    /** Whether this node may campaign: it is a voter and is not installing a snapshot. */
    boolean promotable() {
        return tracker.config().isVoter(id) && !log.hasSnapshotToHandOut();
    }

    /** Starts an election (or a PreVote round) if this node may. */
    void hup(boolean transfer) {
        if (role == Role.LEADER || !promotable()) {
            return;
        }
        // A committed configuration change not yet in force could change who may vote.
        if (ConfigHistory.hasCommittedChangeNotInForce(log, configAppliedIndex)) {
            return;
        }
        if (transfer) {
            campaign(Campaign.TRANSFER);
        } else {
            campaign(cfg.preVote() ? Campaign.PRE_ELECTION : Campaign.ELECTION);
        }
    }

    void campaign(Campaign kind) {
        if (kind == Campaign.PRE_ELECTION) {
            becomePreCandidate();
        } else {
            becomeCandidate();
        }
        tracker.recordVote(id, true);
        if (tracker.voteResult() == Quorum.VoteResult.WON) {
            // A single-voter group wins at once.
            if (kind == Campaign.PRE_ELECTION) {
                campaign(Campaign.ELECTION);
            } else {
                becomeLeader();
            }
            return;
        }
        campaign = kind;
        requestVotes();
    }

    /**
     * Asks every voter that has not answered this campaign yet for its vote (or PreVote). Sent
     * again on heartbeat ticks while the campaign lasts: a request sent before a peer was
     * listening (a whole cluster starting together) or lost on the way would otherwise cost a
     * whole election timeout. Asking twice is harmless: a voter answers the same way for the same
     * term and candidate, and only its first answer is counted.
     */
    private void requestVotes() {
        MessageType type = campaign == Campaign.PRE_ELECTION ? MessageType.PRE_VOTE : MessageType.VOTE;
        long voteTerm = campaign == Campaign.PRE_ELECTION ? term + 1 : term;
        long lastIndex = log.lastIndex();
        long lastTerm = log.lastTerm();
        for (long voter : tracker.config().voters()) {
            if (voter == id || tracker.hasAnswered(voter)) {
                continue;
            }
            send(message(type, voter).term(voteTerm).index(lastIndex).logTerm(lastTerm)
                    .context(campaign == Campaign.TRANSFER ? Message.CONTEXT_TRANSFER : 0));
        }
    }

    // ---- time ----

    void tick() {
        if (role == Role.LEADER) {
            leader.tick();
        } else {
            if (reachableSinceBoot != null && (lead != 0 || role != Role.FOLLOWER)) {
                reachableSinceBoot = null; // the boot election is settled, or under way
            }
            electionElapsed++;
            if (promotable() && (electionElapsed >= randomizedElectionTimeout || earlyCampaignDue())) {
                electionElapsed = 0;
                hup(false);
            } else if ((role == Role.PRE_CANDIDATE || role == Role.CANDIDATE)
                    && electionElapsed % cfg.heartbeatTicks() == 0) {
                requestVotes();
            }
        }
    }

    /**
     * Whether this follower may treat its leader as gone before the election timeout: the runtime
     * reported the leader unreachable (its connection broke, as it does at once when the leader's
     * process dies) and nothing has come from it for two heartbeat intervals, which a live
     * leader would have filled. Such a follower campaigns early and gives up its CheckQuorum
     * lease (it grants votes). PreVote keeps a wrong guess harmless: followers that still hear
     * the leader refuse. Never with lease reads, whose safety needs the full election timeout.
     */
    boolean leaderPresumedLost() {
        return leaderSuspected && role == Role.FOLLOWER && electionElapsed >= 2 * cfg.heartbeatTicks()
                && cfg.readMode() != ReadMode.LEASE;
    }

    /**
     * The early campaign, staggered by rank among the other voters (two heartbeat intervals
     * apart) so that the survivors of a crashed leader do not split the vote.
     */
    private boolean earlyCampaignDue() {
        if (!leaderPresumedLost()) {
            return false;
        }
        long rank = tracker.config().voters().stream().filter(v -> v != lead && v < id).count();
        return electionElapsed >= 2 * cfg.heartbeatTicks() * (1 + rank);
    }

    /** The runtime reports a peer unreachable: if it is this follower's leader, suspect it. */
    void peerUnreachable(long peer) {
        if (role == Role.FOLLOWER && peer == lead && peer != 0) {
            leaderSuspected = true;
        }
    }

    // ---- messages ----

    void step(Message m) {
        switch (m.type()) {
            case SNAPSHOT_STATUS, UNREACHABLE -> {
                if (role == Role.LEADER) {
                    leader.step(m);
                } else if (m.type() == MessageType.UNREACHABLE) {
                    peerUnreachable(m.from());
                }
                return;
            }
            case PROPOSE, READ_INDEX, TRANSFER_LEADER -> {
                // Forwarded requests carry no term: they are valid for whoever leads now.
                stepByRole(m);
                return;
            }
            default -> {
            }
        }
        if (m.term() > term) {
            if (!acceptHigherTerm(m)) {
                return;
            }
        } else if (m.term() < term) {
            answerStaleTerm(m);
            return;
        }
        if (m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) {
            handleVoteRequest(m);
        } else {
            stepByRole(m);
        }
    }

    /** Handles a message from a higher term; returns false if it is to be ignored. */
    private boolean acceptHigherTerm(Message m) {
        boolean voteRequest = m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE;
        if (voteRequest) {
            boolean transfer = m.context() == Message.CONTEXT_TRANSFER;
            boolean inLease = cfg.checkQuorum() && lead != 0 && electionElapsed < cfg.electionTicks()
                    && !leaderPresumedLost();
            if (inLease && !transfer) {
                // CheckQuorum lease: a live leader exists, so this candidate is disruptive.
                return false;
            }
        }
        if (m.type() == MessageType.PRE_VOTE || (m.type() == MessageType.PRE_VOTE_RESPONSE && !m.reject())) {
            // PreVote traffic never raises a term: a granted answer carries the term of a
            // hypothetical election.
            return true;
        }
        boolean fromLeader = m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT
                || m.type() == MessageType.SNAPSHOT;
        int elapsed = electionElapsed;
        int timeout = randomizedElectionTimeout;
        becomeFollower(m.term(), fromLeader ? m.from() : 0);
        if (m.type() == MessageType.VOTE) {
            // Adopting a candidate's term is not hearing from a leader: only a granted vote resets
            // the election timer, or stale candidates could keep up-to-date nodes from ever running.
            electionElapsed = elapsed;
            randomizedElectionTimeout = timeout;
        }
        return true;
    }

    private void answerStaleTerm(Message m) {
        if ((cfg.checkQuorum() || cfg.preVote())
                && (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT)) {
            // A leader cut off by a partition learns our term and steps down; without this it
            // could keep a (pre)candidate from ever winning.
            send(message(MessageType.APPEND_RESPONSE, m.from()));
        } else if (m.type() == MessageType.PRE_VOTE) {
            send(message(MessageType.PRE_VOTE_RESPONSE, m.from()).reject(true));
        }
    }

    private void handleVoteRequest(Message m) {
        boolean preVote = m.type() == MessageType.PRE_VOTE;
        MessageType responseType = preVote ? MessageType.PRE_VOTE_RESPONSE : MessageType.VOTE_RESPONSE;
        boolean canVote = vote == m.from() || (vote == HardState.NO_VOTE && lead == 0)
                || (preVote && m.term() > term);
        boolean logOk = log.isUpToDate(m.index(), m.logTerm());
        // NEGATIVE CONTROL (tests only): grant without the up-to-date check.
        if (cfg.testFaults().contains(CoreFault.GRANT_VOTE_WITHOUT_LOG_CHECK)) {
            logOk = true;
        }
        if (canVote && logOk) {
            send(message(responseType, m.from()).term(m.term()));
            if (!preVote) {
                electionElapsed = 0;
                vote = m.from();
            }
        } else {
            send(message(responseType, m.from()).reject(true));
        }
    }

    private void stepByRole(Message m) {
        switch (role) {
            case LEADER -> leader.step(m);
            case CANDIDATE, PRE_CANDIDATE -> candidate.step(m);
            case FOLLOWER -> follower.step(m);
        }
    }

    // ---- membership ----

    /**
     * A follower that is no longer a member gets no more messages from this leader, so one last
     * append brings it up to the commit index, which covers its own removal: it applies the
     * removal and its embedder can stop it (otherwise it would wait forever for a leader).
     */
    private void tellRemovedFollowers(ClusterConfig next) {
        tracker.all().forEach((member, pr) -> {
            if (member != id && !next.members().contains(member)) {
                replicator.sendFarewell(member, pr);
            }
        });
    }

    /** Puts the change carried by a committed entry into force (called as it is handed out). */
    void applyConfigChange(Entry entry) {
        configAppliedIndex = entry.index();
        ClusterConfig next;
        try {
            next = tracker.config().apply(ConfigChange.decode(entry.data()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Validated when proposed; an entry that still does not apply is a no-op everywhere.
            return;
        }
        if (role == Role.LEADER) {
            tellRemovedFollowers(next);
        }
        tracker.setConfig(next, log.lastIndex());
        if (role != Role.LEADER) {
            if (role != Role.FOLLOWER && !next.isVoter(id)) {
                // A (pre-)candidate that is no longer a voter stops campaigning.
                becomeFollower(term, 0);
            }
            return;
        }
        if (!next.isVoter(id)) {
            // The leader was removed: it has committed its own removal, so it stops leading.
            becomeFollower(term, 0);
            return;
        }
        if (leadTransferee != 0 && !next.isVoter(leadTransferee)) {
            leadTransferee = 0;
        }
        leader.membershipChanged();
    }
}
