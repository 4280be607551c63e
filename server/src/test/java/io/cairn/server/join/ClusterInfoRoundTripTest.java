package io.cairn.server.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.kv.KvStateMachine;
import io.cairn.kv.KvStoreOptions;
import io.cairn.kv.Member;
import io.cairn.server.config.ConfigException;
import io.cairn.server.datadir.PersistedIdentity;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.testing.TestPorts;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster-info service answers what its store and identity hold; the client tries every peer URL. */
class ClusterInfoRoundTripTest {
    @TempDir
    Path tmp;

    private KvStateMachine store;
    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
        }
    }

    private String serve(CompletableFuture<?> barrier) throws Exception {
        store = KvStateMachine.open(KvStoreOptions.defaults(tmp.resolve("kv")));
        store.seedMembers(List.of(new Member(0xaL, "a", List.of("http://127.0.0.1:1"), List.of("http://127.0.0.1:2")),
                new Member(0xbL, "", List.of("http://127.0.0.1:3"), List.of())));
        PersistedIdentity identity = new PersistedIdentity(0xaL, 0xc1L,
                List.of(new BootstrapMember(0xaL, "a", List.of("http://127.0.0.1:1"))));
        int port = TestPorts.next();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new ClusterInfoService(store, identity, () -> barrier)).build().start();
        return "http://127.0.0.1:" + port;
    }

    @Test
    void theJoinerGetsTheClusterIdMembersAndFounders() throws Exception {
        String url = serve(CompletableFuture.completedFuture(null));
        String nobody = "http://127.0.0.1:" + TestPorts.next();
        RemoteCluster remote = new ClusterInfoClient("d", Duration.ofSeconds(5), Duration.ZERO).fetch(List.of(nobody, url));
        assertThat(remote.answeredBy()).isEqualTo(url);
        assertThat(remote.clusterId()).isEqualTo(0xc1L);
        assertThat(remote.members()).containsExactly(
                new Member(0xaL, "a", List.of("http://127.0.0.1:1"), List.of("http://127.0.0.1:2")),
                new Member(0xbL, "", List.of("http://127.0.0.1:3"), List.of()));
        assertThat(remote.founders()).containsExactly(new BootstrapMember(0xaL, "", List.of("http://127.0.0.1:1")));
    }

    @Test
    void withoutALeaderItAnswersFromWhatItHasApplied() throws Exception {
        String url = serve(CompletableFuture.failedFuture(new IllegalStateException("no leader")));
        RemoteCluster remote = new ClusterInfoClient("d", Duration.ofSeconds(5), Duration.ZERO).fetch(List.of(url));
        assertThat(remote.members()).hasSize(2);
    }

    @Test
    void whenNoPeerAnswersTheJoinFailsWithEtcdsMessage() {
        List<String> nobody = List.of("http://127.0.0.1:" + TestPorts.next(), "http://127.0.0.1:" + TestPorts.next());
        assertThatThrownBy(() -> new ClusterInfoClient("d", Duration.ofSeconds(2), Duration.ZERO).fetch(nobody))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cannot fetch cluster info from peer urls: could not retrieve cluster information from the given URLs");
    }
}
