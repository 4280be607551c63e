package io.cairn.raft.core;

import io.cairn.raft.core.ProgressView.State;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds a leader's outgoing replication traffic. Appends are built lazily when a Ready is
 * assembled, so a burst of proposals and acknowledgements yields one append per follower
 * rather than one per event.
 */
final class Replicator {
    private final Raft r;
    /** Followers owed an append even if it carries no entries (to probe or to carry a commit). */
    private final TreeSet<Long> owedAppend = new TreeSet<>();

    Replicator(Raft raft) {
        this.r = raft;
    }

    void reset() {
        owedAppend.clear();
    }

    /** Marks {@code id} as owed an append at the next flush, even an empty one. */
    void owe(long id) {
        if (id != r.id) {
            owedAppend.add(id);
        }
    }

    void oweAll() {
        for (long id : r.tracker.all().keySet()) {
            owe(id);
        }
    }

    /** Whether {@link #flush()} would send anything. */
    boolean hasWork() {
        if (r.reads.needsNewRound()) {
            return true;
        }
        for (Map.Entry<Long, Progress> e : r.tracker.all().entrySet()) {
            if (e.getKey() != r.id && wouldSend(e.getValue(), owedAppend.contains(e.getKey()))) {
                return true;
            }
        }
        return false;
    }

    private boolean wouldSend(Progress pr, boolean owed) {
        if (pr.isPaused() || pr.next() > r.log.lastIndex() + 1) {
            return false;
        }
        if (needsSnapshot(pr)) {
            return pr.recentActive();
        }
        return owed || pr.next() <= r.log.lastIndex();
    }

    /** Whether the entries {@code pr} needs next (or the one before them) are compacted away. */
    private boolean needsSnapshot(Progress pr) {
        return pr.next() < r.log.firstIndex() || r.log.termOrNone(pr.next() - 1) < 0;
    }

    /** Sends every append, snapshot and read-confirmation round that is due. */
    void flush() {
        if (r.reads.needsNewRound()) {
            long round = r.reads.startRound(r.id);
            r.leader.releaseReads(r.reads.acknowledge(round, r.id, r.tracker.config()));
            broadcastHeartbeat(round);
        }
        for (long id : r.tracker.all().keySet()) {
            if (id == r.id) {
                continue;
            }
            boolean sendIfEmpty = owedAppend.contains(id);
            while (sendAppend(id, sendIfEmpty)) {
                sendIfEmpty = false;
            }
        }
        owedAppend.clear();
    }

    /**
     * Sends {@code to} the entries after its next index (or a snapshot if they are compacted).
     * Returns whether an append went out, so callers may keep streaming in REPLICATE state.
     */
    private boolean sendAppend(long to, boolean sendIfEmpty) {
        Progress pr = r.tracker.get(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        RaftLog log = r.log;
        long prevIndex = pr.next() - 1;
        if (prevIndex > log.lastIndex()) {
            return false;
        }
        if (needsSnapshot(pr)) {
            sendSnapshot(to, pr);
            return false;
        }
        long prevTerm;
        List<Entry> entries;
        try {
            prevTerm = log.term(prevIndex);
            entries = log.entries(pr.next(), log.lastIndex() + 1, r.cfg.maxSizePerMessage());
        } catch (LogCompactedException e) {
            // Storage compacted concurrently since the check above.
            sendSnapshot(to, pr);
            return false;
        }
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        long bytes = 0;
        for (Entry e : entries) {
            bytes += e.sizeBytes();
        }
        Message.Builder append = r.message(MessageType.APPEND, to).index(prevIndex).logTerm(prevTerm)
                .entries(entries).commit(log.committed());
        if (prevIndex == 0 && log.snapshot().index() == 0) {
            // The log starts at the bootstrap point: tell a joining node which members it holds.
            append.snapshot(log.snapshot());
        }
        r.send(append);
        long last = entries.isEmpty() ? prevIndex : entries.get(entries.size() - 1).index();
        pr.sentEntries(entries.size(), last, bytes);
        return !entries.isEmpty() && pr.state() == State.REPLICATE;
    }

    /**
     * One last append to a member leaving the configuration: the committed entries after what it
     * is known to hold, and the commit index. Nothing if those entries are compacted away.
     */
    void sendFarewell(long to, Progress pr) {
        RaftLog log = r.log;
        long prevIndex = pr.match();
        try {
            long prevTerm = log.term(prevIndex);
            List<Entry> entries = log.entries(prevIndex + 1, log.committed() + 1, r.cfg.maxSizePerMessage());
            r.send(r.message(MessageType.APPEND, to).index(prevIndex).logTerm(prevTerm).entries(entries)
                    .commit(log.committed()));
        } catch (LogCompactedException e) {
            // too far behind to be told; its embedder finds out some other way
        }
    }

    private void sendSnapshot(long to, Progress pr) {
        if (!pr.recentActive()) {
            // Do not start an expensive transfer to a member that may be down.
            return;
        }
        SnapshotMetadata snapshot = r.log.snapshot();
        r.send(r.message(MessageType.SNAPSHOT, to).index(snapshot.index()).logTerm(snapshot.term())
                .snapshot(snapshot));
        pr.becomeSnapshot(snapshot.index());
    }

    /** Sends a heartbeat to every member; {@code context} is the read round to confirm, or 0. */
    void broadcastHeartbeat(long context) {
        for (Map.Entry<Long, Progress> e : r.tracker.all().entrySet()) {
            long id = e.getKey();
            if (id == r.id) {
                continue;
            }
            // Never tell a follower to commit past what it is known to hold.
            long commit = Math.min(e.getValue().match(), r.log.committed());
            r.send(r.message(MessageType.HEARTBEAT, id).commit(commit).context(context));
        }
    }

    void sendTimeoutNow(long to) {
        r.send(r.message(MessageType.TIMEOUT_NOW, to));
    }
}
