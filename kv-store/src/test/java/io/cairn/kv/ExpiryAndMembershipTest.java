package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.ConfigChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TTL expiry through the expire command (spec 8) and membership records (spec 2.5c, 13). */
class ExpiryAndMembershipTest {
    @TempDir
    Path dir;
    StoreFixture f;
    KvCommands c;

    @BeforeEach
    void open() {
        f = new StoreFixture(dir);
        c = f.commands;
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void expireRemovesDueNodesInExpirationOrderOneIndexEach_A16_P93_spec2_5a() {
        f.ok(c.set("/late", "l", false, 20L, false));
        f.ok(c.set("/sf", "b", false, 5L, false));
        f.ok(c.set("/perm", "p", false, null, false));
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.store.watch("/", true, true, 0, seen::add);

        f.clock.advance(Duration.ofSeconds(4));
        f.apply(c.expire());
        assertThat(f.store.etcdIndex()).isEqualTo(3); // nothing due: no index consumed (8.3c)

        f.clock.advance(Duration.ofSeconds(30));
        f.apply(c.expire());
        assertThat(f.store.etcdIndex()).isEqualTo(5);
        org.awaitility.Awaitility.await().until(() -> seen.size() == 2);
        Event first = seen.get(0);
        assertThat(first.action()).isEqualTo(Action.EXPIRE);
        assertThat(first.node()).isEqualTo(new Node("/sf", null, false, null, 0, 2, 4, null));
        assertThat(first.prevNode().value()).isEqualTo("b");
        assertThat(first.prevNode().expiration()).isEqualTo(StoreFixture.START.plusSeconds(5));
        assertThat(seen.get(1).node().key()).isEqualTo("/late");
        assertThat(f.getFails("/sf").errorCode()).isEqualTo(100);
        assertThat(f.store.get("/perm", false, false).node().value()).isEqualTo("p");
        assertThat(f.store.stats().expireCount()).isEqualTo(2);
    }

    @Test
    void nextExpirationTellsTheLeaderWhetherAnExpireIsDue_spec8_3() {
        assertThat(f.store.nextExpiration()).isEmpty();
        f.ok(c.set("/b", "v", false, 9L, false));
        f.ok(c.set("/a", "v", false, 3L, false));
        assertThat(f.store.nextExpiration()).contains(StoreFixture.START.plusSeconds(3));
        f.ok(c.set("/a", "v", false, null, false));
        assertThat(f.store.nextExpiration()).contains(StoreFixture.START.plusSeconds(9));
        f.clock.advance(Duration.ofSeconds(10));
        f.apply(c.expire());
        assertThat(f.store.nextExpiration()).isEmpty();
    }

    @Test
    void expiredPrevNodeShowsNoTtlWhenSweptOnTime_spec5_8() {
        f.ok(c.set("/k", "v", false, 1L, false));
        f.clock.advance(Duration.ofMillis(1300));
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.store.watch("/k", false, false, 0, seen::add);
        f.apply(c.expire());
        org.awaitility.Awaitility.await().until(() -> seen.size() == 1);
        assertThat(seen.get(0).prevNode().ttl()).isZero();
    }

    @Test
    void readsShowExpiredButUnsweptNodesWithNegativeTtl_spec8_1c_8_4() {
        f.ok(c.set("/k", "v", false, 1L, false));
        f.clock.advance(Duration.ofMillis(3500));
        assertThat(f.store.get("/k", false, false).node().ttl()).isEqualTo(-2);
    }

    @Test
    void expiringADirectoryRemovesItsTreeSilentlyInOneEvent_spec6_2_8_7_P122_P125() {
        f.ok(c.set("/d", null, true, 5L, false));
        f.ok(c.set("/d/child", "c", false, 10L, false));
        f.ok(c.set("/d/sub/x", "x", false, null, false));
        f.clock.advance(Duration.ofSeconds(60));
        f.apply(c.expire());
        assertThat(f.store.etcdIndex()).isEqualTo(4);
        assertThat(f.getFails("/d/child").errorCode()).isEqualTo(100);
        f.apply(c.expire());
        assertThat(f.store.etcdIndex()).isEqualTo(4); // the child's own TTL entry went with it
    }

    @Test
    void childWatcherReceivesTheExpiryOfItsDirectory_P124_spec17_28() {
        f.ok(c.set("/d", null, true, 2L, false));
        f.ok(c.set("/d/x", "1", false, null, false));
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.store.watch("/d/x", false, false, 0, seen::add);
        f.clock.advance(Duration.ofSeconds(3));
        f.apply(c.expire());
        org.awaitility.Awaitility.await().until(() -> seen.size() == 1);
        assertThat(seen.get(0).action()).isEqualTo(Action.EXPIRE);
        assertThat(seen.get(0).node().key()).isEqualTo("/d");
        assertThat(seen.get(0).node().dir()).isTrue();
    }

    @Test
    void bootstrapOfThreeMembersConsumesSevenIndexes_spec2_5c_P148() {
        long[] ids = {0x52b9e81c8fa0a34L, 0xd135fd1709435c22L, 0x7728b2d85beb2b73L};
        for (int i = 0; i < ids.length; i++) {
            f.configChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, ids[i],
                    KvCommands.memberContext(List.of("http://127.0.0.1:2338" + i), "", List.of())));
        }
        assertThat(f.store.member(ids[0]).orElseThrow().name()).isEmpty(); // unstarted (P154-P155)
        assertThat(f.store.member(ids[0]).orElseThrow().clientUrls()).isEmpty();
        for (int i = 0; i < ids.length; i++) {
            f.apply(c.publishMember(ids[i], "n" + i, List.of("http://127.0.0.1:2337" + i)));
        }
        f.apply(c.clusterVersion("3.4.0", 0xd85358b201602733L));
        assertThat(f.store.etcdIndex()).isEqualTo(7);
        assertThat(f.store.members()).extracting(Member::idHex)
                .containsExactly("52b9e81c8fa0a34", "7728b2d85beb2b73", "d135fd1709435c22"); // unsigned order
        assertThat(f.store.member(ids[1]).orElseThrow().name()).isEqualTo("n1");
        assertThat(f.store.clusterVersion()).contains("3.4.0");
        assertThat(f.store.clusterId()).isEqualTo(0xd85358b201602733L);
        // Invisible to /v2/keys
        assertThat(f.store.get("/", true, false).node().nodes()).isNull();

        f.apply(c.updatePeerUrls(ids[0], List.of("http://127.0.0.1:29999")));
        assertThat(f.store.etcdIndex()).isEqualTo(8);
        f.configChange(new ConfigChange(ConfigChange.Type.REMOVE_NODE, ids[2], new byte[0]));
        assertThat(f.store.etcdIndex()).isEqualTo(10); // remove consumes two
        assertThat(f.store.isRemoved(ids[2])).isTrue();
        assertThat(f.store.member(ids[2])).isEmpty();
        f.configChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, ids[2], new byte[0]));
        assertThat(f.store.member(ids[2])).isEmpty(); // removed ids never come back

        f.reopen();
        assertThat(f.store.members()).hasSize(2);
        assertThat(f.store.member(ids[0]).orElseThrow().peerUrls()).containsExactly("http://127.0.0.1:29999");
        assertThat(f.store.isRemoved(ids[2])).isTrue();
        assertThat(f.store.etcdIndex()).isEqualTo(10);
    }

    @Test
    void seededFoundersThenPublicationsAndVersion_spec2_5c_latitude18_4() {
        f.store.seedMembers(List.of(new Member(2, "", List.of("http://b:2380"), List.of()),
                new Member(1, "", List.of("http://a:2380"), List.of())));
        f.apply(c.publishMember(1, "a", List.of("http://a:2379")));
        f.apply(c.publishMember(2, "b", List.of("http://b:2379")));
        f.apply(c.clusterVersion("3.4.0", 99));
        assertThat(f.store.etcdIndex()).isEqualTo(3); // N + 1: seeding consumes no index
        assertThat(f.store.members()).containsExactly(
                new Member(1, "a", List.of("http://a:2380"), List.of("http://a:2379")),
                new Member(2, "b", List.of("http://b:2380"), List.of("http://b:2379")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.store.seedMembers(List.of()))
                .isInstanceOf(IllegalStateException.class);
        f.reopen();
        assertThat(f.store.members()).hasSize(2);
    }

    @Test
    void seededAndUnseededReplicasNumberMembershipRecordsIdentically(@TempDir Path other) {
        try (StoreFixture g = new StoreFixture(other)) {
            f.store.seedMembers(List.of(new Member(1, "", List.of("http://a:2380"), List.of())));
            for (StoreFixture s : List.of(f, g)) {
                s.apply(c.publishMember(1, "a", List.of("http://a:2379")));
                s.configChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, 1, new byte[0]));
                s.apply(c.updatePeerUrls(1, List.of("http://a2:2380")));
                s.configChange(new ConfigChange(ConfigChange.Type.REMOVE_NODE, 1, new byte[0]));
                s.apply(c.publishMember(1, "late", List.of()));
            }
            assertThat(g.store.etcdIndex()).isEqualTo(f.store.etcdIndex()).isEqualTo(5);
            assertThat(g.store.members()).isEqualTo(f.store.members()).isEmpty();
        }
    }

    @Test
    void plainTextConfigChangeContextIsReadAsPeerAddresses() {
        f.configChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, 5,
                "10.0.0.5:2380".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        f.configChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, 6,
                "https://h6:2380, http://h6b:2380".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(f.store.member(5).orElseThrow().peerUrls()).containsExactly("http://10.0.0.5:2380");
        assertThat(f.store.member(6).orElseThrow().peerUrls()).containsExactly("http://h6b:2380", "https://h6:2380");
    }

    @Test
    void membershipRecordsOccupyHistoryButNeverMatchKeyWatches_spec9_3() throws Exception {
        f.ok(c.set("/a", "1", false, null, false));
        f.configChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, 7, new byte[0]));
        f.ok(c.set("/b", "2", false, null, false));
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.store.watch("/", true, false, 2, seen::add);
        org.awaitility.Awaitility.await().until(() -> seen.size() == 1);
        assertThat(seen.get(0).node().key()).isEqualTo("/b");
    }
}
