package io.cairn.jepsen.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotStressNemesisTest {

    @Test
    void theInstalledSnapshotCounterIsSummedFromThePrometheusText() {
        String text = """
                # HELP cairn_raft_snapshots_installed_total \s
                # TYPE cairn_raft_snapshots_installed_total counter
                cairn_raft_snapshots_installed_total{node="a"} 2.0
                cairn_raft_snapshots_installed_total{node="b"} 1.0
                cairn_raft_snapshots_taken_total{node="a"} 9.0
                """;
        assertThat(SnapshotStressNemesis.counter(text, SnapshotStressNemesis.INSTALLED_METRIC)).hasValue(3);
        assertThat(SnapshotStressNemesis.counter("other 1.0\n", SnapshotStressNemesis.INSTALLED_METRIC)).isEmpty();
    }

    @Test
    void itAsksForATinySnapshotThresholdAlsoInsideAComposite() {
        List<String> flags = new SnapshotStressNemesis().memberFlags();
        assertThat(flags).containsSubsequence("--snapshot-count", "50")
                .containsSubsequence("--experimental-snapshot-catchup-entries", "10");
        assertThat(new CompositeNemesis(List.of(new KillNemesis(Targets.ONE), new SnapshotStressNemesis())).memberFlags())
                .isEqualTo(flags);
        assertThat(new KillNemesis(Targets.ONE).memberFlags()).isEmpty();
    }
}
