package io.cairn.raft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.node.RaftException.Reason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bookkeeping behind proposals and reads, on a fake clock. */
class TrackersTest {
    private final AtomicLong clock = new AtomicLong();

    private ProposalTracker<String> proposals(int capacity) {
        return new ProposalTracker<>(1, 42, capacity, 1_000, clock::get, latency -> { });
    }

    private static Reason reason(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return ((RaftException) e.getCause()).reason();
        }
    }

    @Test
    void proposalsCompleteByTheirEnvelopeSequence() {
        ProposalTracker<String> tracker = proposals(10);
        ProposalTracker.Pending<String> a = tracker.register("a".getBytes());
        ProposalTracker.Pending<String> b = tracker.register("b".getBytes());
        CommandEnvelope envelopeOfB = CommandEnvelope.decode(b.wrapped);

        assertThat(tracker.isOurs(envelopeOfB)).isTrue();
        assertThat(tracker.isOurs(new CommandEnvelope(1, 43, envelopeOfB.sequence(), new byte[0])))
                .as("a previous incarnation's entry").isFalse();
        tracker.complete(envelopeOfB.sequence(), 7, "done-b");

        assertThat(b.future).isCompletedWithValue("done-b");
        assertThat(a.future).isNotDone();
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void anAppendedProposalPassedByTheAppliedIndexWasLost() {
        ProposalTracker<String> tracker = proposals(10);
        ProposalTracker.Pending<String> kept = tracker.register("kept".getBytes());
        ProposalTracker.Pending<String> lost = tracker.register("lost".getBytes());
        tracker.appendedAt(kept, 5);
        tracker.appendedAt(lost, 6);

        tracker.complete(CommandEnvelope.decode(kept.wrapped).sequence(), 5, "ok");
        tracker.failLostUpTo(6);

        assertThat(kept.future).isCompletedWithValue("ok");
        assertThat(reason(lost.future)).isEqualTo(Reason.LOST);
        assertThat(tracker.appendedAndPending()).isZero();
    }

    @Test
    void aCompletedProposalLeavesNothingBehindToCheckForLoss() {
        ProposalTracker<String> tracker = proposals(10);
        ProposalTracker.Pending<String> p = tracker.register("p".getBytes());
        tracker.appendedAt(p, 3);

        tracker.complete(CommandEnvelope.decode(p.wrapped).sequence(), 3, "ok");

        assertThat(tracker.appendedAndPending()).isZero();
        assertThat(tracker.size()).isZero();
    }

    @Test
    void boundedAndTimedOut() {
        ProposalTracker<String> tracker = proposals(2);
        ProposalTracker.Pending<String> first = tracker.register("1".getBytes());
        tracker.register("2".getBytes());

        assertThatThrownBy(() -> tracker.register("3".getBytes()))
                .isInstanceOfSatisfying(RaftException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERLOADED));
        clock.set(1_001);
        tracker.expire(clock.get());

        assertThat(reason(first.future)).isEqualTo(Reason.TIMEOUT);
        assertThat(tracker.size()).isZero();
        tracker.register("4".getBytes()); // room again
    }

    @Test
    void readsQueuedTogetherShareOneRoundAndWaitForTheApplyIndex() {
        ReadTracker reads = new ReadTracker(10, 1_000, 100);
        CompletableFuture<Long> r1 = reads.register(1_000);
        CompletableFuture<Long> r2 = reads.register(1_000);
        CompletableFuture<Long> r3 = reads.register(1_000);

        List<ReadTracker.PendingRead> batch = reads.takeQueued();
        long round = reads.startRound(batch, 0, 1, true);

        assertThat(batch).hasSize(3);
        assertThat(reads.takeQueued()).isEmpty();
        ReadTracker.Round confirmed = reads.confirmed(round, 7, 5);
        assertThat(confirmed.issuedNanos()).isZero();
        assertThat(List.of(r1, r2, r3)).noneMatch(CompletableFuture::isDone);

        reads.applied(6);
        assertThat(r1).isNotDone();
        reads.applied(7);
        assertThat(List.of(r1, r2, r3)).allMatch(f -> f.join() == 7L);
    }

    @Test
    void readsWaitForTheRoundInFlightUntilItIsConfirmedOrOutlivesThePatience() {
        ReadTracker reads = new ReadTracker(10, 1_000, 100);
        assertThat(reads.hasWaiting()).isFalse();
        reads.startRound(new java.util.ArrayList<>(), 0, 1, true); // a lease renewal: no reads
        assertThat(reads.roundInFlight(10)).as("rounds without reads do not hold reads back").isFalse();

        reads.register(1_000);
        long first = reads.startRound(reads.takeQueued(), 10, 1, true);
        reads.register(1_000);
        assertThat(reads.hasWaiting()).isTrue();
        assertThat(reads.roundInFlight(50)).isTrue();
        assertThat(reads.roundInFlight(110)).as("past the patience, a round may be lost").isFalse();

        reads.confirmed(first, 3, 3);
        assertThat(reads.roundInFlight(50)).isFalse();
        assertThat(reads.hasQueued()).isTrue();
        assertThat(reads.takeQueued()).hasSize(1);
        assertThat(reads.hasWaiting()).isFalse();
    }

    @Test
    void readsHeldForALeaderAreWaitingButNotQueued() {
        ReadTracker reads = new ReadTracker(10, 1_000, 100);
        reads.register(1_000);
        reads.hold(reads.takeQueued());
        assertThat(reads.hasWaiting()).isTrue();
        assertThat(reads.hasQueued()).as("retried on the next tick, not on every pass").isFalse();
    }

    @Test
    void unansweredReadsTimeOut() {
        ReadTracker reads = new ReadTracker(10, 1_000, 100);
        CompletableFuture<Long> read = reads.register(1_000);
        reads.startRound(reads.takeQueued(), 0, 1, true);

        reads.expire(999);
        assertThat(read).isNotDone();
        reads.expire(1_001);
        assertThat(reason(read)).isEqualTo(Reason.TIMEOUT);
        assertThat(reads.confirmed(1, 3, 3)).as("the round was dropped with its last read").isNull();
    }

    @Test
    void readsHeldForALeaderAreRetriedAndTimeOut() {
        ReadTracker reads = new ReadTracker(10, 1_000, 100);
        CompletableFuture<Long> read = reads.register(1_000);
        reads.hold(reads.takeQueued());

        assertThat(reads.takeQueued()).hasSize(1);
        reads.hold(List.of());
        CompletableFuture<Long> another = reads.register(500);
        reads.hold(reads.takeQueued());
        reads.expire(600);

        assertThat(reason(another)).isEqualTo(Reason.TIMEOUT);
        assertThat(read).as("not yet").isNotDone();
    }
}
