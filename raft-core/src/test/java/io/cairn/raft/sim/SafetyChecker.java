package io.cairn.raft.sim;

import static io.cairn.raft.sim.InvariantViolation.Kind.COMMIT_MONOTONICITY;
import static io.cairn.raft.sim.InvariantViolation.Kind.ELECTION_SAFETY;
import static io.cairn.raft.sim.InvariantViolation.Kind.LEADER_COMPLETENESS;
import static io.cairn.raft.sim.InvariantViolation.Kind.LOG_MATCHING;
import static io.cairn.raft.sim.InvariantViolation.Kind.SNAPSHOT;
import static io.cairn.raft.sim.InvariantViolation.Kind.STATE_MACHINE_SAFETY;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.Role;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.core.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raft's safety properties, checked against a history that spans every node and every life:
 *
 * <ul>
 *   <li>election safety: at most one leader per term, ever;</li>
 *   <li>log matching: a given (index, term) names one entry, always preceded by the same term,
 *       so by induction two logs agreeing on (index, term) agree on the whole prefix;</li>
 *   <li>leader completeness: every committed entry is in the log of every later leader;</li>
 *   <li>state machine safety: no two nodes apply (or commit) different entries at one index;</li>
 *   <li>commit monotonicity: within one life a node's commit index never goes back.</li>
 * </ul>
 *
 * The runtime reports writes and applies as they happen; {@link #afterStep} inspects a node
 * after each event that touched it.
 */
final class SafetyChecker {
    private record Position(long index, long term) {
    }

    /** An entry as first written anywhere, with the term of the entry before it (or UNKNOWN). */
    private record FirstWrite(long node, Entry entry, long previousTerm) {
    }

    /** What the checker remembers about one node's current life. */
    private static final class Observed {
        int life = -1;
        long commit;
        long leaderTerm;
    }

    private final Map<Long, SimNode> nodes;
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    private final TreeMap<Long, Long> committedTerms = new TreeMap<>();
    private final Map<Long, Entry> appliedEntries = new HashMap<>();
    private final Map<Position, FirstWrite> firstWrites = new HashMap<>();
    private final Map<Long, Observed> observed = new HashMap<>();
    private long highestTerm;
    private int leadersElected;
    private SimNode lastElected;
    private int configChangesApplied;

    SafetyChecker(Map<Long, SimNode> nodes) {
        this.nodes = nodes;
    }

    int leadersElected() {
        return leadersElected;
    }

    /** The node that most recently became leader of a new term, or null. */
    SimNode lastElected() {
        return lastElected;
    }

    long highestTerm() {
        return highestTerm;
    }

    /** Distinct configuration-change entries applied anywhere. */
    int configChangesApplied() {
        return configChangesApplied;
    }

    int committedEntries() {
        return committedTerms.size();
    }

    /** Log matching, checked on every entry as it is written to any log. */
    void onWrite(SimNode node, List<Entry> entries) {
        SimLog log = node.disk().written();
        for (Entry e : entries) {
            long previousTerm = log.termOrUnknown(e.index() - 1);
            FirstWrite first = firstWrites.putIfAbsent(new Position(e.index(), e.term()),
                    new FirstWrite(node.id(), e, previousTerm));
            if (first == null) {
                continue;
            }
            if (!first.entry().equals(e)) {
                throw new InvariantViolation(LOG_MATCHING, "node " + node.id() + " wrote " + e + " but node "
                        + first.node() + " holds a different entry " + first.entry() + " at the same index and term");
            }
            if (first.previousTerm() != SimLog.UNKNOWN && previousTerm != SimLog.UNKNOWN
                    && first.previousTerm() != previousTerm) {
                throw new InvariantViolation(LOG_MATCHING, "entry " + e + " follows term " + previousTerm + " on node "
                        + node.id() + " but term " + first.previousTerm() + " on node " + first.node());
            }
        }
    }

    /** A received snapshot must agree with everything committed and applied at or below it. */
    void onSnapshotWrite(SimNode node, SnapshotMetadata meta, SnapshotImage image) {
        Long committedTerm = committedTerms.get(meta.index());
        if (committedTerm != null && committedTerm != meta.term()) {
            throw new InvariantViolation(SNAPSHOT, "node " + node.id() + " installs snapshot " + meta.index() + "/"
                    + meta.term() + " but term " + committedTerm + " was committed there");
        }
        if (image.index() != meta.index()) {
            throw new InvariantViolation(SNAPSHOT, "snapshot " + meta.index() + " carries an image of index " + image.index());
        }
        for (long i = 1; i <= meta.index(); i++) {
            Entry applied = appliedEntries.get(i);
            if (applied != null && SimStateMachine.valueOf(applied) != image.valueAt(i)) {
                throw new InvariantViolation(STATE_MACHINE_SAFETY, "snapshot " + meta.index() + " installed on node "
                        + node.id() + " holds value " + image.valueAt(i) + " at " + i + " where " + applied + " was applied");
            }
        }
    }

    /** State machine safety: the first entry applied at an index is the only one ever applied there. */
    void onApply(SimNode node, Entry entry) {
        Entry first = appliedEntries.putIfAbsent(entry.index(), entry);
        if (first == null && entry.type() == EntryType.CONFIG_CHANGE) {
            configChangesApplied++;
        }
        if (first != null && !first.equals(entry)) {
            throw new InvariantViolation(STATE_MACHINE_SAFETY, "node " + node.id() + " applied " + entry
                    + " (value " + SimStateMachine.valueOf(entry) + ") where another node applied " + first
                    + " (value " + SimStateMachine.valueOf(first) + ")");
        }
        recordCommitted(node, entry.index(), entry.term());
    }

    /** Election safety, commit monotonicity and leader completeness for a node that just changed. */
    void afterStep(SimNode node) {
        Observed seen = observed.computeIfAbsent(node.id(), id -> new Observed());
        if (!node.isUp()) {
            seen.leaderTerm = 0;
            return;
        }
        if (seen.life != node.life()) {
            seen.life = node.life();
            seen.commit = 0;
            seen.leaderTerm = 0;
        }
        Status status = node.status();
        highestTerm = Math.max(highestTerm, status.term());
        checkCommit(node, seen, status.commitIndex());
        if (status.role() != Role.LEADER) {
            seen.leaderTerm = 0;
            return;
        }
        Long leader = leaderOfTerm.putIfAbsent(status.term(), node.id());
        if (leader != null && leader != node.id()) {
            throw new InvariantViolation(ELECTION_SAFETY, "nodes " + leader + " and " + node.id()
                    + " were both leader in term " + status.term());
        }
        if (seen.leaderTerm != status.term()) {
            seen.leaderTerm = status.term();
            if (leader == null) {
                leadersElected++;
                lastElected = node;
            }
            checkHoldsEveryCommitted(node, status.term());
        }
    }

    private void checkCommit(SimNode node, Observed seen, long commit) {
        if (commit < seen.commit) {
            throw new InvariantViolation(COMMIT_MONOTONICITY, "node " + node.id() + " commit index went from "
                    + seen.commit + " back to " + commit);
        }
        SimLog log = node.disk().written();
        if (commit > log.lastIndex()) {
            throw new InvariantViolation(COMMIT_MONOTONICITY, "node " + node.id() + " commit index " + commit
                    + " is past its last log index " + log.lastIndex());
        }
        for (long i = seen.commit + 1; i <= commit; i++) {
            long term = log.termOrUnknown(i);
            if (term != SimLog.UNKNOWN) {
                recordCommitted(node, i, term);
            }
        }
        seen.commit = commit;
    }

    private void recordCommitted(SimNode node, long index, long term) {
        Long known = committedTerms.putIfAbsent(index, term);
        if (known != null) {
            if (known != term) {
                throw new InvariantViolation(STATE_MACHINE_SAFETY, "node " + node.id() + " committed " + index + "/"
                        + term + " but " + index + "/" + known + " was committed before");
            }
            return;
        }
        // A leader elected before this commit became known must hold it too.
        for (SimNode other : nodes.values()) {
            Observed o = observed.get(other.id());
            if (o != null && other.isUp() && o.life == other.life() && o.leaderTerm > term) {
                requireHolds(other, o.leaderTerm, index, term);
            }
        }
    }

    private void checkHoldsEveryCommitted(SimNode leader, long leaderTerm) {
        long snapshotIndex = leader.disk().written().snapshot().index();
        for (Map.Entry<Long, Long> c : committedTerms.tailMap(snapshotIndex, false).entrySet()) {
            requireHolds(leader, leaderTerm, c.getKey(), c.getValue());
        }
    }

    private static void requireHolds(SimNode leader, long leaderTerm, long index, long term) {
        SimLog log = leader.disk().written();
        if (index <= log.snapshot().index()) {
            return; // covered by its snapshot, whose content the state machine checks vouch for
        }
        long held = log.termOrUnknown(index);
        if (held != term) {
            throw new InvariantViolation(LEADER_COMPLETENESS, "node " + leader.id() + " leads term " + leaderTerm
                    + " without committed entry " + index + "/" + term + " (its log has "
                    + (held == SimLog.UNKNOWN ? "nothing" : "term " + held) + " there; " + log + ")");
        }
    }
}
