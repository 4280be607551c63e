package io.cairn.server.unsafe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.storage.FileIO;
import io.cairn.server.config.ConfigException;
import org.junit.jupiter.api.Test;

class NegativeControlsTest {

    @Test
    void noFlagMeansNoControlAndTheCommandLineUntouched() throws Exception {
        NegativeControls.Extracted e = NegativeControls.extract(new String[] {"--name", "n1", "-data-dir=x"});
        assertThat(e.remaining()).containsExactly("--name", "n1", "-data-dir=x");
        assertThat(e.controls().isEmpty()).isTrue();
        assertThat(e.controls().staleQuorumReads()).isFalse();
        assertThat(e.controls().warnings()).isEmpty();
        assertThat(e.controls().storageOptions().fileIO()).isSameAs(FileIO.nio());
    }

    @Test
    void everySpellingIsTakenOutAndTheRestKeepsItsOrder() throws Exception {
        NegativeControls.Extracted e = NegativeControls.extract(new String[] {
            "--name", "n1", "--unsafe-negative-control=apply-twice", "--data-dir", "d",
            "-unsafe-negative-control", "STALE-QUORUM-READS", "--unsafe-negative-control", "ack-before-persist,apply-twice"});
        assertThat(e.remaining()).containsExactly("--name", "n1", "--data-dir", "d");
        assertThat(e.controls().enabled()).containsExactlyInAnyOrder(NegativeControl.values());
        assertThat(e.controls().staleQuorumReads()).isTrue();
    }

    @Test
    void unknownControlIsAFlagSyntaxError() {
        assertThatThrownBy(() -> NegativeControls.extract(new String[] {"--unsafe-negative-control=fast"}))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessage("invalid value \"fast\" for flag -unsafe-negative-control: unknown negative control "
                        + "(one of stale-quorum-reads, ack-before-persist, apply-twice)");
        assertThatThrownBy(() -> NegativeControls.extract(new String[] {"--unsafe-negative-control="}))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void missingValueIsAFlagSyntaxError() {
        assertThatThrownBy(() -> NegativeControls.extract(new String[] {"--name", "n1", "--unsafe-negative-control"}))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessage("flag needs an argument: -unsafe-negative-control");
    }

    @Test
    void similarFlagsAndArgumentsAfterDoubleDashAreLeftForTheEtcdParser() throws Exception {
        NegativeControls.Extracted e = NegativeControls.extract(new String[] {
            "--unsafe-negative-controls=apply-twice", "--", "--unsafe-negative-control=apply-twice"});
        assertThat(e.remaining()).containsExactly("--unsafe-negative-controls=apply-twice", "--",
                "--unsafe-negative-control=apply-twice");
        assertThat(e.controls().isEmpty()).isTrue();
    }

    @Test
    void eachControlIsAnnouncedWithWhatItBreaks() {
        NegativeControls controls = NegativeControls.of(NegativeControl.ACK_BEFORE_PERSIST);
        assertThat(controls.warnings()).singleElement().asString()
                .startsWith("UNSAFE NEGATIVE CONTROL --unsafe-negative-control=ack-before-persist is enabled: ")
                .contains("kill -9 loses them")
                .endsWith("for the fault-injection suite only.");
    }

    @Test
    void ackBeforePersistSwapsTheLogsFileSystemAndNothingElseDoes() {
        assertThat(NegativeControls.of(NegativeControl.ACK_BEFORE_PERSIST).storageOptions().fileIO())
                .isInstanceOf(DeferredWriteFileIO.class);
        assertThat(NegativeControls.of(NegativeControl.APPLY_TWICE, NegativeControl.STALE_QUORUM_READS)
                .storageOptions().fileIO()).isSameAs(FileIO.nio());
    }
}
