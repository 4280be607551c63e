package io.cairn.raft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The core's view of the log: the durable part (read through {@link LogReader}) below
 * {@code offset}, an in-memory unstable tail from {@code offset} on, and possibly a snapshot
 * received from the leader that is not durable yet. It tracks four positions:
 * <ul>
 *   <li>{@code committed}: known committed by a quorum;</li>
 *   <li>{@code persisted}: the last index known durable locally (acknowledged by the runtime);</li>
 *   <li>{@code applying}: the last committed entry handed out for application;</li>
 *   <li>{@code applied}: the last index the state machine reported applied.</li>
 * </ul>
 * Everything at or above {@code offset} comes from the unstable tail, never from the durable
 * reader: the durable log may still hold a suffix that a newer, not yet persisted write replaces.
 */
final class RaftLog {
    /** A log position used as a backtracking hint. */
    record Position(long index, long term) {
    }

    private final LogReader durable;
    private final List<Entry> unstable = new ArrayList<>();
    private long offset;
    /** Unstable entries at or below this index were already handed out in a Ready. */
    private long handedOutThrough;
    private SnapshotMetadata unstableSnapshot;
    private boolean snapshotHandedOut;

    private long committed;
    private long persisted;
    private long applying;
    private long applied;

    RaftLog(LogReader durable, long appliedIndex) {
        this.durable = durable;
        SnapshotMetadata snapshot = durable.snapshot();
        long last = durable.lastIndex();
        if (appliedIndex < snapshot.index()) {
            throw new IllegalArgumentException("applied index " + appliedIndex + " is behind the snapshot at "
                    + snapshot.index() + ": restore the snapshot into the state machine first");
        }
        if (appliedIndex > last) {
            throw new IllegalArgumentException("applied index " + appliedIndex + " is past the last log index " + last);
        }
        this.offset = last + 1;
        this.handedOutThrough = last;
        this.persisted = last;
        // The state machine only applies committed entries, so its applied index is committed even
        // when the hard state's commit was persisted lazily.
        this.committed = Math.max(Math.min(durable.hardState().commit(), last), appliedIndex);
        this.applying = appliedIndex;
        this.applied = appliedIndex;
    }

    // ---- positions ----

    long committed() {
        return committed;
    }

    long persisted() {
        return persisted;
    }

    long applied() {
        return applied;
    }

    long applying() {
        return applying;
    }

    SnapshotMetadata snapshot() {
        return unstableSnapshot != null ? unstableSnapshot : durable.snapshot();
    }

    /** The first index whose entry is readable; may be at or below the snapshot index. */
    long firstIndex() {
        return unstableSnapshot != null ? unstableSnapshot.index() + 1 : durable.firstIndex();
    }

    long lastIndex() {
        return offset - 1 + unstable.size();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /**
     * The term of the entry at {@code index}, the snapshot's term at the snapshot index.
     *
     * @throws LogCompactedException below the snapshot
     * @throws LogUnavailableException past the last index
     */
    long term(long index) {
        if (index >= offset) {
            if (index - offset >= unstable.size()) {
                throw new LogUnavailableException(index, lastIndex());
            }
            return unstable.get((int) (index - offset)).term();
        }
        SnapshotMetadata snapshot = snapshot();
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (unstableSnapshot != null || index < durable.firstIndex() - 1) {
            throw new LogCompactedException(index, firstIndex());
        }
        // May lie below the snapshot index: storage keeps some entries behind a snapshot so that
        // slow followers can catch up without one. The term just before the first entry may be
        // known too (then appends can start at the first entry); if not, the reader says so.
        return durable.term(index);
    }

    /** The term at {@code index}, or -1 if it is compacted or past the end. */
    long termOrNone(long index) {
        try {
            return term(index);
        } catch (LogCompactedException | LogUnavailableException e) {
            return -1;
        }
    }

    boolean matchTerm(long index, long term) {
        return termOrNone(index) == term;
    }

    /** Whether a log ending at (lastIndex, lastTerm) is at least as up to date as this one. */
    boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        long myLastTerm = lastTerm();
        return otherLastTerm > myLastTerm || (otherLastTerm == myLastTerm && otherLastIndex >= lastIndex());
    }

    // ---- reading ----

    /**
     * Entries in {@code [from, to)}, at least one when the range is non-empty, stopping before
     * their total size would exceed {@code maxBytes}.
     */
    List<Entry> entries(long from, long to, long maxBytes) {
        List<Entry> result = new ArrayList<>();
        if (from >= to) {
            return result;
        }
        if (from < firstIndex()) {
            throw new LogCompactedException(from, firstIndex());
        }
        if (to > lastIndex() + 1) {
            throw new LogUnavailableException(to - 1, lastIndex());
        }
        long bytes = 0;
        if (from < offset) {
            long durableTo = Math.min(to, offset);
            result.addAll(durable.entries(from, durableTo, maxBytes));
            if (result.size() < durableTo - from) {
                return result;
            }
            for (Entry e : result) {
                bytes += e.sizeBytes();
            }
        }
        for (long i = Math.max(from, offset); i < to; i++) {
            Entry e = unstable.get((int) (i - offset));
            if (!result.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                break;
            }
            bytes += e.sizeBytes();
            result.add(e);
        }
        return result;
    }

    // ---- writing ----

    /** Appends entries, first truncating any conflicting suffix at their first index. */
    void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long after = entries.get(0).index();
        if (after <= committed) {
            throw new IllegalStateException("entry " + after + " would overwrite committed index " + committed);
        }
        if (after > lastIndex() + 1) {
            throw new IllegalStateException("gap: appending " + after + " after last index " + lastIndex());
        }
        if (after <= offset) {
            // Replaces the whole unstable tail and part of the durable log.
            unstable.clear();
            offset = after;
        } else if (after <= lastIndex()) {
            unstable.subList((int) (after - offset), unstable.size()).clear();
        }
        unstable.addAll(entries);
        handedOutThrough = Math.min(handedOutThrough, after - 1);
        persisted = Math.min(persisted, after - 1);
    }

    /**
     * Handles an append from the leader: if this log holds (prevIndex, prevTerm), appends what
     * conflicts or is new and advances the commit. Returns the index of the last new entry, or -1
     * if the previous entry does not match.
     */
    long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> entries) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        long lastNew = prevIndex + entries.size();
        long conflict = findConflict(entries);
        if (conflict != 0) {
            append(entries.subList((int) (conflict - entries.get(0).index()), entries.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    /** The first index whose entry is new or conflicts with this log, 0 when all are present. */
    private long findConflict(List<Entry> entries) {
        for (Entry e : entries) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * The last position at or below {@code index} whose term is at most {@code term}: the
     * furthest point where this log could match a log whose entry at {@code index} has {@code term}.
     */
    Position findConflictByTerm(long index, long term) {
        long i = Math.min(index, lastIndex());
        while (i > 0) {
            long t = termOrNone(i);
            if (t < 0) {
                return new Position(i, 0);
            }
            if (t <= term) {
                return new Position(i, t);
            }
            i--;
        }
        return new Position(0, 0);
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " is past the last index " + lastIndex());
            }
            committed = index;
        }
    }

    /** Commits {@code index} if it is new and its entry has {@code term}; returns whether it did. */
    boolean maybeCommit(long index, long term) {
        if (index > committed && termOrNone(index) == term) {
            commitTo(index);
            return true;
        }
        return false;
    }

    /** Replaces the log with a snapshot received from the leader (durable only once persisted). */
    void restore(SnapshotMetadata snapshot) {
        unstableSnapshot = snapshot;
        snapshotHandedOut = false;
        unstable.clear();
        offset = snapshot.index() + 1;
        handedOutThrough = snapshot.index();
        committed = snapshot.index();
        persisted = Math.min(persisted, snapshot.index());
    }

    // ---- handing out and acknowledgements ----

    boolean hasEntriesToHandOut() {
        return handedOutThrough < lastIndex();
    }

    /** Unstable entries not yet handed out; marks them handed out. */
    List<Entry> takeEntriesToPersist() {
        if (!hasEntriesToHandOut()) {
            return List.of();
        }
        List<Entry> result = List.copyOf(unstable.subList((int) (handedOutThrough + 1 - offset), unstable.size()));
        handedOutThrough = lastIndex();
        return result;
    }

    boolean hasSnapshotToHandOut() {
        return unstableSnapshot != null && !snapshotHandedOut;
    }

    /** The received snapshot, once; the state machine is restored from it, so application resumes after it. */
    SnapshotMetadata takeSnapshotToPersist() {
        if (!hasSnapshotToHandOut()) {
            return null;
        }
        snapshotHandedOut = true;
        applying = Math.max(applying, unstableSnapshot.index());
        return unstableSnapshot;
    }

    private long applicableThrough() {
        return Math.min(committed, persisted);
    }

    boolean hasCommittedToHandOut() {
        return !hasSnapshotToHandOut() && applying < applicableThrough();
    }

    /** Committed and locally durable entries not yet handed out; marks them handed out. */
    List<Entry> takeCommittedEntries(long maxBytes) {
        if (!hasCommittedToHandOut()) {
            return List.of();
        }
        List<Entry> result = entries(applying + 1, applicableThrough() + 1, maxBytes);
        applying = result.get(result.size() - 1).index();
        return result;
    }

    /** The runtime made entries up to (index, term) durable. Ignored if they were overwritten since. */
    void stableTo(long index, long term) {
        if (index < offset || !matchTerm(index, term)) {
            return;
        }
        unstable.subList(0, (int) (index + 1 - offset)).clear();
        offset = index + 1;
        persisted = Math.max(persisted, index);
    }

    /** The runtime made the received snapshot durable and restored the state machine from it. */
    void snapshotStable(SnapshotMetadata snapshot) {
        if (unstableSnapshot != null && unstableSnapshot.equals(snapshot)) {
            unstableSnapshot = null;
            persisted = Math.max(persisted, snapshot.index());
            applied = Math.max(applied, snapshot.index());
        }
    }

    void appliedTo(long index) {
        if (index > applied) {
            applied = index;
        }
    }
}
