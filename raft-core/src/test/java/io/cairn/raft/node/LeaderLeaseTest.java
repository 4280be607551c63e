package io.cairn.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lease on a fake monotonic clock: duration from the send time, term, pauses. */
class LeaderLeaseTest {
    private static final long MS = 1_000_000;
    private static final long DURATION = 800 * MS;
    private static final long PAUSE = 500 * MS;

    private final LeaderLease lease = new LeaderLease(DURATION, PAUSE, 0);

    private void tickEvery100msUntil(long millis) {
        for (long t = 100; t <= millis; t += 100) {
            lease.onTick(t * MS);
        }
    }

    @Test
    void noLeaseUntilAQuorumConfirmsARound() {
        assertThat(lease.isValid(10 * MS, 1)).isFalse();
    }

    @Test
    void lastsFromTheSendTimeOfTheConfirmedRoundNotFromItsConfirmation() {
        lease.confirmed(100 * MS, 1); // round sent at 100 ms, confirmed (say) at 300 ms
        lease.onTick(850 * MS - 400 * MS);
        lease.onTick(850 * MS);

        assertThat(lease.isValid(899 * MS, 1)).isTrue();
        assertThat(lease.isValid(900 * MS, 1)).isFalse();
    }

    @Test
    void laterRoundsExtendItButAnOlderConfirmationNeverShortensIt() {
        lease.confirmed(100 * MS, 1);
        lease.confirmed(400 * MS, 1);
        lease.confirmed(200 * MS, 1); // a slow answer to an older round

        tickEvery100msUntil(1_100);
        assertThat(lease.isValid(1_150 * MS, 1)).isTrue();
        assertThat(lease.isValid(1_201 * MS, 1)).isFalse();
    }

    @Test
    void belongsToOneTerm() {
        lease.confirmed(100 * MS, 1);
        lease.onTick(150 * MS);

        assertThat(lease.isValid(200 * MS, 2)).isFalse();
    }

    @Test
    void aLateTickRevealsAPauseAndDropsTheLease() {
        lease.confirmed(1_000 * MS, 1);
        lease.onTick(1_000 * MS);
        lease.onTick(1_600 * MS); // 600 ms between ticks: the process was stopped

        assertThat(lease.isValid(1_601 * MS, 1)).isFalse();
        lease.onTick(1_650 * MS);
        assertThat(lease.isValid(1_660 * MS, 1)).as("stays dropped until a new round confirms").isFalse();
        lease.confirmed(1_650 * MS, 1);
        assertThat(lease.isValid(1_660 * MS, 1)).isTrue();
    }

    @Test
    void aTickerThatFellSilentCountsAsAPause() {
        lease.confirmed(1_000 * MS, 1);
        lease.onTick(1_000 * MS);

        // No tick for longer than the pause threshold although the lease has not expired.
        assertThat(lease.isValid(1_501 * MS, 1)).isFalse();
    }

    @Test
    void invalidateDropsIt() {
        lease.confirmed(100 * MS, 1);
        lease.onTick(100 * MS);
        lease.invalidate();

        assertThat(lease.isValid(150 * MS, 1)).isFalse();
    }
}
