package io.cairn.raft.node;

import io.cairn.raft.node.RaftException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linearizable reads in their three stages: queued (registered by any thread), in a confirmation
 * round (one core ReadIndex request shared by every read queued meanwhile), and confirmed but
 * waiting for the local state machine to reach the read index. Everything but registration runs
 * on the event loop.
 */
final class ReadTracker {

    /** One read waiting for its index. */
    record PendingRead(CompletableFuture<Long> future, long deadlineNanos) {
    }

    /** A ReadIndex request in flight: when it was issued, in which term, and who waits for it. */
    record Round(long issuedNanos, long term, boolean issuedAsLeader, List<PendingRead> reads) {
    }

    private final int capacity;
    private final long timeoutNanos;
    private final long roundPatienceNanos;
    private final AtomicInteger size = new AtomicInteger();
    private final ConcurrentLinkedQueue<PendingRead> queued = new ConcurrentLinkedQueue<>();
    /** Reads that found no leader to confirm them; retried with the next batch. */
    private List<PendingRead> held = new ArrayList<>();
    private final Map<Long, Round> rounds = new HashMap<>();
    private final NavigableMap<Long, List<PendingRead>> waitingForApply = new TreeMap<>();
    private long nextRequestId = 1;

    /**
     * @param capacity bound on reads pending at any stage
     * @param timeoutNanos how long a read, and a confirmation round, may stay unanswered
     * @param roundPatienceNanos how long reads wait for the round in flight to be confirmed before
     *     they start one of their own (a round can be lost with a message)
     */
    ReadTracker(int capacity, long timeoutNanos, long roundPatienceNanos) {
        this.capacity = capacity;
        this.timeoutNanos = timeoutNanos;
        this.roundPatienceNanos = roundPatienceNanos;
    }

    /** Queues a read (any thread). */
    CompletableFuture<Long> register(long deadlineNanos) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return CompletableFuture.failedFuture(
                    new RaftException(Reason.OVERLOADED, "too many pending reads (" + capacity + ")"));
        }
        PendingRead read = new PendingRead(new CompletableFuture<>(), deadlineNanos);
        queued.add(read);
        return read.future();
    }

    /** Whether reads are queued or held, waiting for a round. */
    boolean hasWaiting() {
        return !held.isEmpty() || !queued.isEmpty();
    }

    /**
     * Whether reads are queued since the last {@link #takeQueued}: those a round in flight held
     * back, or new ones. Held reads (no leader known) are not counted: they wait for a tick.
     */
    boolean hasQueued() {
        return !queued.isEmpty();
    }

    /**
     * Whether a round of reads issued less than the round patience ago is still unconfirmed. New
     * reads then wait for it and share the next round: one round per round trip instead of one per
     * event-loop pass, each costing a heartbeat to every follower and their answers. Rounds without
     * reads (lease renewals) do not count.
     */
    boolean roundInFlight(long nowNanos) {
        for (Round round : rounds.values()) {
            if (!round.reads().isEmpty() && nowNanos - round.issuedNanos() < roundPatienceNanos) {
                return true;
            }
        }
        return false;
    }

    /** Takes the reads held back and those queued since the last call. */
    List<PendingRead> takeQueued() {
        List<PendingRead> batch = held;
        held = new ArrayList<>();
        for (PendingRead r; (r = queued.poll()) != null; ) {
            batch.add(r);
        }
        return batch;
    }

    /** Keeps reads that cannot be confirmed yet (no leader known) for the next batch. */
    void hold(List<PendingRead> reads) {
        held.addAll(reads);
    }

    /** Starts a confirmation round for {@code reads}; returns the request id to give the core. */
    long startRound(List<PendingRead> reads, long nowNanos, long term, boolean asLeader) {
        long requestId = nextRequestId++;
        rounds.put(requestId, new Round(nowNanos, term, asLeader, reads));
        return requestId;
    }

    /** The core confirmed round {@code requestId} at {@code index}; returns the round or null. */
    Round confirmed(long requestId, long index, long appliedIndex) {
        Round round = rounds.remove(requestId);
        if (round != null) {
            waitForApply(round.reads(), index, appliedIndex);
        }
        return round;
    }

    /** Makes {@code reads} complete once the applied index reaches {@code index}. */
    void waitForApply(List<PendingRead> reads, long index, long appliedIndex) {
        if (reads.isEmpty()) {
            return;
        }
        if (index <= appliedIndex) {
            reads.forEach(r -> complete(r, index));
        } else {
            waitingForApply.computeIfAbsent(index, i -> new ArrayList<>()).addAll(reads);
        }
    }

    /** The state machine applied up to {@code appliedIndex}: serve the reads that waited for it. */
    void applied(long appliedIndex) {
        NavigableMap<Long, List<PendingRead>> ready = waitingForApply.headMap(appliedIndex, true);
        for (Map.Entry<Long, List<PendingRead>> e : ready.entrySet()) {
            e.getValue().forEach(r -> complete(r, e.getKey()));
        }
        ready.clear();
    }

    /** Fails reads past their deadline and forgets rounds that went unanswered too long. */
    void expire(long nowNanos) {
        RaftException timeout = new RaftException(Reason.TIMEOUT, "read not confirmed within the request timeout");
        held.removeIf(r -> failIfExpired(r, nowNanos, timeout));
        for (Iterator<Round> it = rounds.values().iterator(); it.hasNext(); ) {
            Round round = it.next();
            if (nowNanos - round.issuedNanos() > timeoutNanos) {
                // Lost (a dropped message or a deposed leader): the core never answers it now.
                round.reads().forEach(r -> fail(r, timeout));
                it.remove();
            } else {
                round.reads().removeIf(r -> failIfExpired(r, nowNanos, timeout));
            }
        }
        for (Iterator<List<PendingRead>> it = waitingForApply.values().iterator(); it.hasNext(); ) {
            List<PendingRead> reads = it.next();
            reads.removeIf(r -> failIfExpired(r, nowNanos, timeout));
            if (reads.isEmpty()) {
                it.remove();
            }
        }
    }

    private boolean failIfExpired(PendingRead read, long nowNanos, RaftException timeout) {
        if (nowNanos - read.deadlineNanos() > 0) {
            fail(read, timeout);
            return true;
        }
        return false;
    }

    /** Fails every read at every stage. */
    void failAll(RaftException error) {
        takeQueued().forEach(r -> fail(r, error));
        rounds.values().forEach(round -> round.reads().forEach(r -> fail(r, error)));
        rounds.clear();
        waitingForApply.values().forEach(reads -> reads.forEach(r -> fail(r, error)));
        waitingForApply.clear();
    }

    private void complete(PendingRead read, long index) {
        size.decrementAndGet();
        read.future().complete(index);
    }

    private void fail(PendingRead read, RaftException error) {
        size.decrementAndGet();
        read.future().completeExceptionally(error);
    }
}
