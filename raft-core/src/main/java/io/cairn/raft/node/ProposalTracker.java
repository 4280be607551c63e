package io.cairn.raft.node;

import io.cairn.raft.node.RaftException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The proposals of this node that wait for their entry to be applied. Callers register from any
 * thread; the event loop takes new ones in batches to hand to the core; the apply thread
 * completes them by sequence number (from the entry's envelope).
 *
 * <p>Bounded: beyond {@code capacity} pending proposals, registration fails fast.
 */
final class ProposalTracker<R> {

    /** One proposal waiting for its entry. */
    static final class Pending<R> {
        final long sequence;
        final byte[] wrapped;
        final CompletableFuture<R> future = new CompletableFuture<>();
        final long startNanos;
        final long deadlineNanos;

        Pending(long sequence, byte[] wrapped, long startNanos, long deadlineNanos) {
            this.sequence = sequence;
            this.wrapped = wrapped;
            this.startNanos = startNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** Observes completed proposals (for the latency meter). */
    interface Listener {
        void completed(long latencyNanos);
    }

    private final long nodeId;
    private final long incarnation;
    private final int capacity;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final AtomicLong nextSequence = new AtomicLong(1);
    private final AtomicInteger size = new AtomicInteger();
    private final Map<Long, Pending<R>> bySequence = new ConcurrentHashMap<>();
    private final ConcurrentNavigableMap<Long, Pending<R>> byIndex = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<Pending<R>> unsubmitted = new ConcurrentLinkedQueue<>();

    ProposalTracker(long nodeId, long incarnation, int capacity, long timeoutNanos, LongSupplier nanoClock,
            Listener listener) {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.capacity = capacity;
        this.timeoutNanos = timeoutNanos;
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    long incarnation() {
        return incarnation;
    }

    /** Registers a command; the returned pending proposal is queued for the event loop. */
    Pending<R> register(byte[] command) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            throw new RaftException(Reason.OVERLOADED, "too many pending proposals (" + capacity + ")");
        }
        long sequence = nextSequence.getAndIncrement();
        long now = nanoClock.getAsLong();
        Pending<R> pending = new Pending<>(sequence, CommandEnvelope.wrap(nodeId, incarnation, sequence, command), now,
                now + timeoutNanos);
        bySequence.put(sequence, pending);
        unsubmitted.add(pending);
        return pending;
    }

    /** Takes every proposal registered since the last call (event loop). */
    List<Pending<R>> takeUnsubmitted() {
        List<Pending<R>> batch = new ArrayList<>();
        for (Pending<R> p; (p = unsubmitted.poll()) != null; ) {
            if (!p.future.isDone()) {
                batch.add(p);
            }
        }
        return batch;
    }

    /** Records that the leader appended the proposal at {@code index} (so its loss can be detected). */
    void appendedAt(Pending<R> pending, long index) {
        if (!pending.future.isDone()) {
            byIndex.put(index, pending);
        }
    }

    /** Proposals appended at a known index and not finished yet (for tests). */
    int appendedAndPending() {
        return byIndex.size();
    }

    /** Whether an applied envelope was proposed by this incarnation of this node. */
    boolean isOurs(CommandEnvelope envelope) {
        return envelope.origin() == nodeId && envelope.incarnation() == incarnation;
    }

    /** Completes the proposal {@code sequence}, applied at {@code index}, with its result (apply thread). */
    void complete(long sequence, long index, R result) {
        Pending<R> pending = bySequence.remove(sequence);
        if (pending != null) {
            // Forget its index too, or every later applied batch would find it below the
            // applied index and look for lost proposals in vain.
            byIndex.remove(index, pending);
            size.decrementAndGet();
            listener.completed(nanoClock.getAsLong() - pending.startNanos);
            pending.future.complete(result);
        }
    }

    /**
     * Fails every proposal this node appended at or below {@code appliedIndex} that was not
     * completed: another leader's entry took its place, so it will never be applied.
     */
    void failLostUpTo(long appliedIndex) {
        // Called after every applied batch and almost always finds nothing (completed proposals
        // leave byIndex): build the error (and its stack trace) only when one was really lost.
        if (!byIndex.headMap(appliedIndex, true).isEmpty()) {
            failUpTo(appliedIndex, new RaftException(Reason.LOST, "entry overwritten by a new leader before it committed"));
        }
    }

    /** Fails the proposals appended at or below a restored snapshot's index: their fate is unknown here. */
    void failCoveredBySnapshot(long snapshotIndex) {
        failUpTo(snapshotIndex, new RaftException(Reason.OUTCOME_UNKNOWN,
                "an installed snapshot covers the entry; it may or may not have been applied"));
    }

    private void failUpTo(long index, RaftException error) {
        ConcurrentNavigableMap<Long, Pending<R>> head = byIndex.headMap(index, true);
        for (Pending<R> pending : head.values()) {
            fail(pending, error);
        }
        head.clear();
    }

    /** Fails a proposal the core refused or that otherwise cannot complete. */
    void fail(Pending<R> pending, RaftException error) {
        if (bySequence.remove(pending.sequence) != null) {
            size.decrementAndGet();
            pending.future.completeExceptionally(error);
        }
    }

    /** Fails proposals whose deadline passed (event loop, on ticks). */
    void expire(long nowNanos) {
        for (Pending<R> pending : bySequence.values()) {
            if (nowNanos - pending.deadlineNanos > 0) {
                fail(pending, new RaftException(Reason.TIMEOUT, "proposal not applied within the request timeout"));
            }
        }
        byIndex.values().removeIf(p -> p.future.isDone());
    }

    /** Fails everything still pending. */
    void failAll(RaftException error) {
        for (Pending<R> pending : bySequence.values()) {
            fail(pending, error);
        }
        unsubmitted.clear();
        byIndex.clear();
    }

    int size() {
        return size.get();
    }
}
