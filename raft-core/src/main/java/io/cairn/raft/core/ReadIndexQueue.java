package io.cairn.raft.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A leader's pending ReadIndex requests. Each request records the commit index at the time it
 * was accepted and joins the next confirmation round, and at most one round is open at a time. A
 * round is one heartbeat broadcast carrying the round number as context; once a quorum of voters
 * has answered it, every request of that round and of earlier rounds is released at its recorded
 * index. Requests that arrive before the leader has committed an entry of its own term wait,
 * because the commit index may still be behind what an earlier leader acknowledged.
 */
final class ReadIndexQueue {
    /** A read request; {@code origin} is the node that asked (this node for local reads). */
    record Request(long requestId, long origin, long index, long round) {
    }

    private final Deque<Request> waitingForOwnTermCommit = new ArrayDeque<>();
    private final Deque<Request> pending = new ArrayDeque<>();
    /** Voters that acknowledged each round still open. */
    private final TreeMap<Long, Set<Long>> acks = new TreeMap<>();
    private long lastStartedRound;

    /** Forgets everything (on a role or term change); the requesters time out and retry. */
    void reset() {
        waitingForOwnTermCommit.clear();
        pending.clear();
        acks.clear();
        lastStartedRound = 0;
    }

    /** Queues a request received before the leader committed an entry of its term. */
    void deferUntilOwnTermCommit(long requestId, long origin) {
        waitingForOwnTermCommit.add(new Request(requestId, origin, 0, 0));
    }

    /** Moves deferred requests into the next round, reading at {@code commitIndex}. */
    void releaseDeferred(long commitIndex) {
        while (!waitingForOwnTermCommit.isEmpty()) {
            Request r = waitingForOwnTermCommit.poll();
            add(r.requestId(), r.origin(), commitIndex);
        }
    }

    /** Queues a request reading at {@code commitIndex}; it joins the next round to be started. */
    void add(long requestId, long origin, long commitIndex) {
        pending.add(new Request(requestId, origin, commitIndex, lastStartedRound + 1));
    }

    /**
     * Whether some request waits for a round that has not been broadcast yet and no earlier round
     * is still open. Requests that arrive while a round is open wait for it and share the next
     * one: a round costs a heartbeat to every follower and their answers, and under load requests
     * arrive (from this node's clients and forwarded by followers) far more often than a round
     * trip completes. An open round is never stuck: every regular heartbeat carries it again.
     */
    boolean needsNewRound() {
        return acks.isEmpty() && !pending.isEmpty() && pending.peekLast().round() > lastStartedRound;
    }

    /** Starts the next round; the caller broadcasts a heartbeat with the returned context. */
    long startRound(long self) {
        lastStartedRound++;
        Set<Long> voters = new HashSet<>();
        voters.add(self);
        acks.put(lastStartedRound, voters);
        return lastStartedRound;
    }

    /** The newest round still waiting for a quorum, to piggyback on regular heartbeats; 0 if none. */
    long openRound() {
        return acks.isEmpty() ? 0 : acks.lastKey();
    }

    /**
     * Records {@code voter}'s answer to {@code round} and releases every request confirmed by it.
     * An answer to a round also confirms all earlier rounds, since it was sent later.
     */
    List<Request> acknowledge(long round, long voter, ClusterConfig config) {
        Set<Long> voters = acks.get(round);
        if (voters == null) {
            return List.of();
        }
        voters.add(voter);
        if (!Quorum.isMajority(config.voters(), voters)) {
            return List.of();
        }
        return confirmThrough(round);
    }

    /** Releases every request of rounds up to {@code round} (a quorum confirmed leadership). */
    List<Request> confirmThrough(long round) {
        acks.headMap(round, true).clear();
        List<Request> released = new ArrayList<>();
        Iterator<Request> it = pending.iterator();
        while (it.hasNext()) {
            Request r = it.next();
            if (r.round() > round) {
                break;
            }
            released.add(r);
            it.remove();
        }
        return released;
    }

    boolean isEmpty() {
        return pending.isEmpty() && waitingForOwnTermCommit.isEmpty();
    }

    int size() {
        return pending.size() + waitingForOwnTermCommit.size();
    }

    /** Exposed for tests: the rounds still open. */
    Map<Long, Set<Long>> openRounds() {
        return acks;
    }
}
