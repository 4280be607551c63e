package io.cairn.jepsen.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerKindTest {
    private final NodeSpec n1 = new NodeSpec("n1", "127.0.0.11", 2379, 2380, Path.of("/d/n1"), Path.of("/d/n1.log"));

    @Test
    void aJoiningMemberHasTheSameCommandButStateExisting() {
        List<String> command = ServerKind.cairn("bin/cairn", List.of("--x")).command(n1, List.of(n1), "tok");
        List<String> joining = ServerKind.joining(command);
        assertThat(command).containsSubsequence("--initial-cluster-state", "new");
        assertThat(joining).containsSubsequence("--initial-cluster-state", "existing").hasSameSizeAs(command);
        assertThatThrownBy(() -> ServerKind.joining(List.of("cairn"))).hasMessageContaining("--initial-cluster-state");
    }

    @Test
    void extraFlagsFollowTheKindsOwn() {
        ServerKind kind = ServerKind.cairn("bin/cairn", List.of("--a")).withExtraFlags(List.of("--b", "1"));
        assertThat(kind.extraFlags()).containsExactly("--a", "--b", "1");
        assertThat(kind.command(n1, List.of(n1), "tok")).endsWith("--a", "--b", "1");
    }
}
