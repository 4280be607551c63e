package io.cairn.server.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.kv.Member;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.InitialCluster;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.identity.MemberIds;
import io.cairn.server.identity.PeerUrlMatcher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** etcd 3.4's join checks (VerifyJoinExisting, ValidateClusterAndAssignIDs) with the spec's ids. */
class JoinPlanTest {
    private static final PeerUrlMatcher NO_DNS = new PeerUrlMatcher(
            host -> { throw new UnknownHostException(host); }, d -> {}, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Duration.ZERO);

    // spec 15.2 / 13.5c: a, b, c founded with token tok3; d added at run time
    private static final long A = MemberIds.parseHex("b533416d0f1de8dd");
    private static final long B = MemberIds.parseHex("c6222e107b119f0");
    private static final long C = MemberIds.parseHex("52b9e81c8fa0a34");
    private static final long D = MemberIds.parseHex("7728b2d85beb2b73");
    private static final long CLUSTER = MemberIds.parseHex("d85358b201602733");
    private static final String ALL = "a=http://127.0.0.1:23412,b=http://127.0.0.1:23422,c=http://127.0.0.1:23432,"
            + "d=http://127.0.0.1:23442";

    private static Member started(long id, String name, int port) {
        return new Member(id, name, List.of("http://127.0.0.1:" + port), List.of("http://127.0.0.1:" + (port - 1)));
    }

    private static List<BootstrapMember> founders() {
        return List.of(new BootstrapMember(A, "", List.of("http://127.0.0.1:23412")),
                new BootstrapMember(B, "", List.of("http://127.0.0.1:23422")),
                new BootstrapMember(C, "", List.of("http://127.0.0.1:23432")));
    }

    private static RemoteCluster withD(String dUrl) {
        return new RemoteCluster(CLUSTER, List.of(started(A, "a", 23412), started(B, "b", 23422), started(C, "c", 23432),
                new Member(D, "", List.of(dUrl), List.of())), founders(), "http://127.0.0.1:23412");
    }

    @Test
    void theJoinerTakesTheIdItWasAddedWithAndTheClusterId() throws Exception {
        JoinPlan plan = JoinPlan.plan("d", InitialCluster.parse(ALL), withD("http://127.0.0.1:23442"), NO_DNS);
        assertThat(MemberIds.toHex(plan.localMemberId())).isEqualTo("7728b2d85beb2b73");
        assertThat(MemberIds.toHex(plan.clusterId())).isEqualTo("d85358b201602733");
        assertThat(plan.founders()).isEqualTo(founders());
        // ordered by id as the cluster lists them; the unstarted member is named from --initial-cluster
        assertThat(plan.members()).extracting(BootstrapMember::name).containsExactly("c", "b", "d", "a");
    }

    @Test
    void theTokenAndTheEntryNamesOfOtherMembersDoNotMatterOnlyTheirUrls() throws Exception {
        InitialCluster renamed = InitialCluster.parse("x=http://127.0.0.1:23412,y=http://127.0.0.1:23422,"
                + "z=http://127.0.0.1:23432,d=http://127.0.0.1:23442");
        assertThat(JoinPlan.plan("d", renamed, withD("http://127.0.0.1:23442"), NO_DNS).localMemberId()).isEqualTo(D);
    }

    @Test
    void aMemberThatWasNotAddedFirstIsRefusedWithEtcdsMessage() {
        RemoteCluster three = new RemoteCluster(CLUSTER,
                List.of(started(A, "a", 23412), started(B, "b", 23422), started(C, "c", 23432)), founders(), "u");
        assertThatThrownBy(() -> JoinPlan.plan("d", InitialCluster.parse(ALL), three, NO_DNS))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("error validating peerURLs {ClusterID:d85358b201602733 Members:[&{ID:52b9e81c8fa0a34 "
                        + "RaftAttributes:{PeerURLs:[http://127.0.0.1:23432]} Attributes:{Name:c ClientURLs:[http://127.0.0.1:23431]}} ")
                .hasMessageContaining("RemovedMemberIDs:[]}: member count is unequal")
                .hasMessageContaining("etcdctl member add d");
    }

    @Test
    void aMemberAddedWithOtherUrlsIsNotMatched() {
        assertThatThrownBy(() -> JoinPlan.plan("d", InitialCluster.parse(ALL), withD("http://127.0.0.1:9999"), NO_DNS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(": PeerURLs: no match found for existing member (7728b2d85beb2b73, "
                        + "[http://127.0.0.1:9999]), last resolver error (");
    }

    @Test
    void urlsMatchAfterNameResolution() throws Exception {
        PeerUrlMatcher dns = new PeerUrlMatcher(host -> InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}),
                d -> {}, Clock.systemUTC(), Duration.ZERO);
        InitialCluster byName = InitialCluster.parse(ALL.replace("d=http://127.0.0.1:23442", "d=http://d.example:23442"));
        assertThat(JoinPlan.plan("d", byName, withD("http://127.0.0.1:23442"), dns).localMemberId()).isEqualTo(D);
    }

    @Test
    void withoutFoundersFromThePeerTheCurrentMembersAreSeeded() throws Exception {
        RemoteCluster old = new RemoteCluster(CLUSTER, withD("http://127.0.0.1:23442").members(), List.of(), "u");
        JoinPlan plan = JoinPlan.plan("d", InitialCluster.parse(ALL), old, NO_DNS);
        assertThat(plan.founders()).extracting(BootstrapMember::id).containsExactly(C, B, D, A);
        assertThat(plan.founders()).allMatch(f -> f.name().isEmpty());
    }

    @Test
    void verifyWantsTheLocalNameAndNoDuplicateUrl() throws Exception {
        assertThatThrownBy(() -> JoinPlan.verify("e", InitialCluster.parse(ALL)))
                .hasMessage("couldn't find local name \"e\" in the initial cluster configuration");
        assertThatThrownBy(() -> JoinPlan.verify("d", InitialCluster.parse("a=http://127.0.0.1:1,d=http://127.0.0.1:1")))
                .hasMessage("initial cluster a=http://127.0.0.1:1,d=http://127.0.0.1:1 has duplicate url");
        JoinPlan.verify("d", InitialCluster.parse(ALL));
    }

    @Test
    void thePeersAskedAreEveryOtherEntrysUrlsSorted() {
        assertThat(JoinPlan.peersToAsk("b", InitialCluster.parse("c=http://10.0.0.3:2380,a=http://10.0.0.1:2380,"
                + "b=http://10.0.0.2:2380,a=http://10.0.0.1:2381")))
                .containsExactly("http://10.0.0.1:2380", "http://10.0.0.1:2381", "http://10.0.0.3:2380");
    }
}
