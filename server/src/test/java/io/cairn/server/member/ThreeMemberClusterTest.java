package io.cairn.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.EtcdException;
import io.cairn.kv.KvCommands;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.ServerConfigLoader;
import io.cairn.server.datadir.DataDir;
import io.cairn.server.identity.MemberIds;
import io.cairn.server.identity.PeerUrlMatcher;
import io.cairn.server.testing.TestPorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members wired as the server wires them (file storage, gRPC on loopback, kv-store), started
 * from etcd-style flags: they elect a leader, replicate a write proposed on a follower to every
 * store, survive the leader stopping, and a restarted member keeps its identity and catches up.
 */
class ThreeMemberClusterTest {
    @TempDir
    Path tmp;

    private final int[] peerPorts = {TestPorts.next(), TestPorts.next(), TestPorts.next()};
    private final CairnMember[] members = new CairnMember[3];
    private final KvCommands commands = KvCommands.systemClock();

    @AfterEach
    void stopAll() throws Exception {
        for (CairnMember m : members) {
            if (m != null) {
                m.close();
            }
        }
    }

    private ServerConfig config(int i) throws Exception {
        String cluster = "m0=http://127.0.0.1:" + peerPorts[0] + ",m1=http://127.0.0.1:" + peerPorts[1] + ",m2=http://127.0.0.1:" + peerPorts[2];
        var outcome = new ServerConfigLoader(Map.of(), w -> {}).load(
                "--name", "m" + i, "--data-dir", tmp.resolve("m" + i).toString(),
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--listen-client-urls", "http://127.0.0.1:" + TestPorts.next(),
                "--advertise-client-urls", "http://127.0.0.1:" + TestPorts.next(),
                "--initial-cluster", cluster, "--initial-cluster-token", "t3",
                "--heartbeat-interval", "50", "--election-timeout", "500");
        return ((ServerConfigLoader.Outcome.Start) outcome).config();
    }

    private CairnMember start(int i) throws Exception {
        ServerConfig config = config(i);
        DataDir dataDir = DataDir.open(config.dataDir(), config.walDir());
        IdentityResolver.Resolved resolved = new IdentityResolver(PeerUrlMatcher.system()).resolve(config, dataDir);
        return CairnMember.start(config, resolved.identity(), dataDir, new SimpleMeterRegistry());
    }

    private int leaderIndex() {
        for (int i = 0; i < 3; i++) {
            if (members[i] != null && members[i].node().isLeader()) {
                return i;
            }
        }
        return -1;
    }

    private static String valueAt(CairnMember m, String key) {
        try {
            return m.store().get(key, false, false).node().value();
        } catch (EtcdException e) {
            return null;
        }
    }

    @Test
    void electsReplicatesFailsOverAndRestartsWithItsIdentity() throws Exception {
        for (int i = 0; i < 3; i++) {
            members[i] = start(i);
        }
        assertThat(members[0].clusterId()).isEqualTo(members[1].clusterId()).isEqualTo(members[2].clusterId());
        assertThat(MemberIds.toHex(members[0].memberId()))
                .isEqualTo(MemberIds.toHex(MemberIds.bootstrapMemberId(List.of("http://127.0.0.1:" + peerPorts[0]), "t3")));

        await().atMost(Duration.ofSeconds(30)).until(() -> leaderIndex() >= 0);
        int leader = leaderIndex();
        int follower = (leader + 1) % 3;

        ApplyResult set = members[follower].node().propose(commands.set("/msg", "hello-world", false, null, false))
                .get(20, TimeUnit.SECONDS);
        assertThat(set.isSuccess()).isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (CairnMember m : members) {
                assertThat(valueAt(m, "/msg")).isEqualTo("hello-world");
            }
        });

        // TTLs expire through the leader's sweep, on every replica
        members[follower].node().propose(commands.set("/ttl", "short-lived", false, 1L, false)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (CairnMember m : members) {
                assertThat(valueAt(m, "/ttl")).isNull();
            }
        });

        long oldLeaderId = members[leader].memberId();
        Path oldLeaderData = tmp.resolve("m" + leader);
        members[leader].close(); // SIGTERM path: leadership is handed over before stopping
        members[leader] = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> leaderIndex() >= 0);
        int survivor = leaderIndex();
        ApplyResult again = members[survivor].node().propose(commands.set("/msg", "hello-again", false, null, false))
                .get(20, TimeUnit.SECONDS);
        assertThat(again.eventOrThrow().prevNode().value()).isEqualTo("hello-world");

        members[leader] = start(leader);
        assertThat(members[leader].memberId()).isEqualTo(oldLeaderId);
        assertThat(new DataDirPeek(oldLeaderData).memberId()).isEqualTo(oldLeaderId);
        CairnMember restarted = members[leader];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(valueAt(restarted, "/msg")).isEqualTo("hello-again"));
    }

    /** Reads the persisted identity without taking the (held) lock. */
    private record DataDirPeek(Path dir) {
        long memberId() throws Exception {
            String json = java.nio.file.Files.readString(dir.resolve("member/identity.json"));
            String hex = json.replaceAll("(?s).*\"memberId\"\\s*:\\s*\"([0-9a-f]+)\".*", "$1");
            return MemberIds.parseHex(hex);
        }
    }
}
