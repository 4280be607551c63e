package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.ProgressView.State;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static Progress progress(long next) {
        return new Progress(next, 2, 1_000);
    }

    @Test
    void probeSendsOneAppendUntilAnswered() {
        Progress pr = progress(5);
        assertThat(pr.isPaused()).isFalse();
        pr.sentEntries(1, 5, 10);
        assertThat(pr.isPaused()).isTrue();
        assertThat(pr.next()).as("probing does not advance next optimistically").isEqualTo(5);
        pr.heartbeatAnswered();
        assertThat(pr.isPaused()).isFalse();
    }

    @Test
    void replicateStreamsWithinTheWindow() {
        Progress pr = progress(5);
        assertThat(pr.maybeUpdate(4)).isTrue();
        pr.becomeReplicate();
        pr.sentEntries(2, 6, 10);
        assertThat(pr.next()).isEqualTo(7);
        pr.sentEntries(1, 7, 10);
        assertThat(pr.isPaused()).as("window of 2 messages is full").isTrue();
        assertThat(pr.maybeUpdate(6)).isTrue();
        pr.inflights().freeLE(6);
        assertThat(pr.isPaused()).isFalse();
    }

    @Test
    void rejectionInReplicateFallsBackToMatch() {
        Progress pr = progress(1);
        pr.maybeUpdate(5);
        pr.becomeReplicate();
        pr.sentEntries(3, 8, 10);
        assertThat(pr.maybeDecrTo(4, 2)).as("stale: at or below match").isFalse();
        assertThat(pr.maybeDecrTo(7, 2)).isTrue();
        assertThat(pr.next()).isEqualTo(6);
    }

    @Test
    void rejectionInProbeUsesTheHintButNotBelowMatch() {
        Progress pr = progress(10);
        assertThat(pr.maybeDecrTo(5, 3)).as("stale: not the index we probed").isFalse();
        assertThat(pr.maybeDecrTo(9, 3)).isTrue();
        assertThat(pr.next()).isEqualTo(4);
        pr.maybeUpdate(2);
        assertThat(pr.next()).isEqualTo(4);
        Progress other = progress(10);
        other.maybeUpdate(6);
        assertThat(other.maybeDecrTo(9, 1)).isTrue();
        assertThat(other.next()).isEqualTo(7);
    }

    @Test
    void snapshotPausesUntilProbeResumesPastIt() {
        Progress pr = progress(3);
        pr.becomeSnapshot(50);
        assertThat(pr.isPaused()).isTrue();
        assertThat(pr.state()).isEqualTo(State.SNAPSHOT);
        pr.becomeProbe();
        assertThat(pr.next()).isEqualTo(51);
        Progress failed = progress(3);
        failed.becomeSnapshot(50);
        failed.snapshotFailed();
        failed.becomeProbe();
        assertThat(failed.next()).as("a failed snapshot resumes from the match").isEqualTo(1);
    }
}
