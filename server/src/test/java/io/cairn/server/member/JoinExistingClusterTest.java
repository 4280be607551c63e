package io.cairn.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.EtcdException;
import io.cairn.kv.KvCommands;
import io.cairn.kv.Member;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.ServerConfigLoader;
import io.cairn.server.datadir.DataDir;
import io.cairn.server.http.RaftClusterBackend;
import io.cairn.server.identity.MemberIds;
import io.cairn.server.identity.PeerUrlMatcher;
import io.cairn.server.testing.TestPorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's procedure for growing a cluster, with members wired as the server wires them: a running
 * 3-member cluster adds a member (what {@code POST /v2/members} does), the new member starts on an
 * empty data dir with {@code --initial-cluster-state existing}, fetches the member list from the
 * peers' cluster-info service, catches up on the existing keys, serves writes, publishes its name,
 * and restarts from its identity.json ignoring the bootstrap flags.
 */
class JoinExistingClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final int[] peerPorts = {TestPorts.next(), TestPorts.next(), TestPorts.next(), TestPorts.next(), TestPorts.next()};
    private final CairnMember[] members = new CairnMember[4];
    private final KvCommands commands = KvCommands.systemClock();

    @AfterEach
    void stopAll() throws Exception {
        for (CairnMember m : members) {
            if (m != null) {
                m.close();
            }
        }
    }

    private String peer(int i) {
        return "http://127.0.0.1:" + peerPorts[i];
    }

    private String cluster(int size) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add("m" + i + "=" + peer(i));
        }
        return String.join(",", entries);
    }

    private ServerConfig config(int i, String initialCluster, String state) throws Exception {
        var outcome = new ServerConfigLoader(Map.of(), w -> {}).load(
                "--name", "m" + i, "--data-dir", tmp.resolve("m" + i).toString(),
                "--listen-peer-urls", peer(i), "--initial-advertise-peer-urls", peer(i),
                "--listen-client-urls", "http://127.0.0.1:" + TestPorts.next(),
                "--advertise-client-urls", "http://127.0.0.1:" + (20000 + i),
                "--initial-cluster", initialCluster, "--initial-cluster-state", state, "--initial-cluster-token", "t-join",
                "--heartbeat-interval", "50", "--election-timeout", "500");
        return ((ServerConfigLoader.Outcome.Start) outcome).config();
    }

    private static CairnMember start(ServerConfig config) throws Exception {
        DataDir dataDir = DataDir.open(config.dataDir(), config.walDir());
        try {
            IdentityResolver.Resolved resolved = new IdentityResolver(PeerUrlMatcher.system()).resolve(config, dataDir);
            return CairnMember.start(config, resolved.identity(), dataDir, new SimpleMeterRegistry());
        } catch (Exception e) {
            dataDir.close();
            throw e;
        }
    }

    private CairnMember leader() {
        for (CairnMember m : members) {
            if (m != null && m.node().isLeader()) {
                return m;
            }
        }
        return null;
    }

    private static String valueAt(CairnMember m, String key) {
        try {
            return m.store().get(key, false, false).node().value();
        } catch (EtcdException e) {
            return null;
        }
    }

    private static void set(CairnMember via, String key, String value) throws Exception {
        ApplyResult result = via.node().propose(KvCommands.systemClock().set(key, value, false, null, false))
                .get(20, TimeUnit.SECONDS);
        assertThat(result.isSuccess()).as("set %s", key).isTrue();
    }

    @Test
    void aMemberAddedAtRunTimeJoinsCatchesUpServesWritesAndRestarts() throws Exception {
        for (int i = 0; i < 3; i++) {
            members[i] = start(config(i, cluster(3), "new"));
        }
        await().atMost(WAIT).until(() -> leader() != null);
        for (int k = 0; k < 20; k++) {
            set(leader(), "/before/" + k, "v" + k);
        }

        // step 1: member add, as POST /v2/members does it (id from the peer URLs and the Unix time)
        Member added = new RaftClusterBackend(leader()).addMember(List.of(peer(3))).get(20, TimeUnit.SECONDS);
        assertThat(added.name()).isEmpty();
        assertThat(added.id()).isNotEqualTo(MemberIds.bootstrapMemberId(List.of(peer(3)), "t-join"));

        // step 2: the new member starts empty with state existing and the cluster's URLs
        members[3] = start(config(3, cluster(4), "existing"));
        CairnMember joined = members[3];
        assertThat(joined.memberId()).isEqualTo(added.id());
        assertThat(joined.clusterId()).isEqualTo(members[0].clusterId());
        assertThat(Files.readString(tmp.resolve("m3/member/identity.json"))).contains("\"joined\" : true");

        await().atMost(WAIT).untilAsserted(() -> {
            for (int k = 0; k < 20; k++) {
                assertThat(valueAt(joined, "/before/" + k)).isEqualTo("v" + k);
            }
        });
        set(joined, "/after", "written-through-the-new-member");
        await().atMost(WAIT).untilAsserted(() -> {
            for (CairnMember m : members) {
                assertThat(valueAt(m, "/after")).isEqualTo("written-through-the-new-member");
            }
        });
        // it publishes its name and client URLs through Raft, as the founders do
        await().atMost(WAIT).untilAsserted(() -> {
            for (CairnMember m : members) {
                assertThat(m.store().member(added.id())).hasValueSatisfying(rec -> {
                    assertThat(rec.name()).isEqualTo("m3");
                    assertThat(rec.clientUrls()).containsExactly("http://127.0.0.1:20003");
                });
                assertThat(m.store().members()).extracting(Member::name).containsExactlyInAnyOrder("m0", "m1", "m2", "m3");
            }
        });
        assertThat(members[0].node().status().config().voters()).contains(added.id()).hasSize(4);

        // a member that was not added first is refused with etcd's message, and writes nothing
        assertThatThrownBy(() -> start(config(4, cluster(5), "existing")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("member count is unequal");
        assertThat(tmp.resolve("m4/member/identity.json")).doesNotExist();

        // restart: identity.json wins, every --initial-cluster* flag is ignored
        members[3].close();
        members[3] = null;
        set(leader(), "/while-down", "caught-up-after-restart");
        members[3] = start(config(3, "m3=" + peer(3) + ",bogus=http://127.0.0.1:1", "new"));
        CairnMember restarted = members[3];
        assertThat(restarted.memberId()).isEqualTo(added.id());
        await().atMost(WAIT).untilAsserted(() -> assertThat(valueAt(restarted, "/while-down")).isEqualTo("caught-up-after-restart"));
        set(restarted, "/after-restart", "ok");
        await().atMost(WAIT).untilAsserted(() -> {
            for (CairnMember m : members) {
                assertThat(valueAt(m, "/after-restart")).isEqualTo("ok");
            }
        });
    }
}
