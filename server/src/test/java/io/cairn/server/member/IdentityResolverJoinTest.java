package io.cairn.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.kv.Member;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.ServerConfigLoader;
import io.cairn.server.datadir.DataDir;
import io.cairn.server.datadir.PersistedIdentity;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.identity.PeerUrlMatcher;
import io.cairn.server.join.RemoteCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join branch of the resolver, with the running cluster faked: what it asks, what it persists, when it refuses. */
class IdentityResolverJoinTest {
    private static final String CLUSTER = "a=http://127.0.0.1:1,b=http://127.0.0.1:2,d=http://127.0.0.1:4";
    private static final RemoteCluster REMOTE = new RemoteCluster(0xc1L,
            List.of(new Member(0xaL, "a", List.of("http://127.0.0.1:1"), List.of("http://127.0.0.1:11")),
                    new Member(0xbL, "b", List.of("http://127.0.0.1:2"), List.of("http://127.0.0.1:12")),
                    new Member(0xdL, "", List.of("http://127.0.0.1:4"), List.of())),
            List.of(new BootstrapMember(0xaL, "", List.of("http://127.0.0.1:1")),
                    new BootstrapMember(0xbL, "", List.of("http://127.0.0.1:2"))),
            "http://127.0.0.1:1");

    @TempDir
    Path tmp;

    private final List<List<String>> asked = new ArrayList<>();

    private ServerConfig config(String name, String initialCluster) throws Exception {
        var outcome = new ServerConfigLoader(Map.of(), w -> {}).load("--name", name, "--data-dir", tmp.resolve(name).toString(),
                "--initial-advertise-peer-urls", "http://127.0.0.1:4", "--initial-cluster", initialCluster,
                "--initial-cluster-state", "existing");
        return ((ServerConfigLoader.Outcome.Start) outcome).config();
    }

    private IdentityResolver resolver() {
        return new IdentityResolver(PeerUrlMatcher.system(), config -> urls -> {
            asked.add(urls);
            return REMOTE;
        });
    }

    @Test
    void aJoinAsksTheOtherEntriesAndPersistsTheClustersIds() throws Exception {
        ServerConfig config = config("d", CLUSTER);
        try (DataDir dir = DataDir.open(config.dataDir(), Optional.empty())) {
            IdentityResolver.Resolved resolved = resolver().resolve(config, dir);
            assertThat(asked).containsExactly(List.of("http://127.0.0.1:1", "http://127.0.0.1:2"));
            PersistedIdentity identity = resolved.identity();
            assertThat(resolved.firstStart()).isTrue();
            assertThat(identity.memberId()).isEqualTo(0xdL);
            assertThat(identity.clusterId()).isEqualTo(0xc1L);
            assertThat(identity.joined()).isTrue();
            assertThat(identity.initialMembers()).isEqualTo(REMOTE.founders());
            assertThat(identity.membersAtJoin()).extracting(BootstrapMember::name).containsExactly("a", "b", "d");
            assertThat(dir.readIdentity()).contains(identity);

            // a restart reads the file and asks nobody
            asked.clear();
            assertThat(resolver().resolve(config("d", "d=http://127.0.0.1:4"), dir).identity()).isEqualTo(identity);
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void theFlagsAreCheckedBeforeAnyPeerIsAsked() throws Exception {
        ServerConfig config = config("e", CLUSTER);
        try (DataDir dir = DataDir.open(config.dataDir(), Optional.empty())) {
            assertThatThrownBy(() -> resolver().resolve(config, dir)).isInstanceOf(ConfigException.class)
                    .hasMessage("couldn't find local name \"e\" in the initial cluster configuration");
            assertThat(asked).isEmpty();
            assertThat(dir.readIdentity()).isEmpty();
        }
    }
}
