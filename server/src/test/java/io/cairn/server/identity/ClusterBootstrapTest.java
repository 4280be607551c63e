package io.cairn.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.config.ConfigException;
import io.cairn.server.config.InitialCluster;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterBootstrapTest {
    private static final PeerUrlMatcher NO_DNS = new PeerUrlMatcher(
            host -> { throw new UnknownHostException(host); }, d -> {}, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Duration.ZERO);

    @Test
    void singleMemberClusterGetsEtcdsIds() throws Exception {
        ClusterBootstrap one = ClusterBootstrap.plan("n1", List.of("http://127.0.0.1:23380"),
                InitialCluster.parse("n1=http://127.0.0.1:23380"), "tok1", NO_DNS);
        assertThat(MemberIds.toHex(one.localMemberId())).isEqualTo("d135fd1709435c22");
        assertThat(MemberIds.toHex(one.clusterId())).isEqualTo("70f1cd662a9a4784");
        assertThat(one.members()).extracting(BootstrapMember::name).containsExactly("n1");
    }

    @Test
    void threeMemberClusterGetsEtcdsIds() throws Exception {
        // spec/v2-transcript.md: members a, b, c on peers 23412/23422/23432, token tok3
        ClusterBootstrap plan = ClusterBootstrap.plan("c", List.of("http://127.0.0.1:23432"),
                InitialCluster.parse("a=http://127.0.0.1:23412,b=http://127.0.0.1:23422,c=http://127.0.0.1:23432"), "tok3", NO_DNS);
        assertThat(MemberIds.toHex(plan.clusterId())).isEqualTo("d85358b201602733");
        assertThat(MemberIds.toHex(plan.localMemberId())).isEqualTo("52b9e81c8fa0a34");
        assertThat(plan.members()).extracting(m -> MemberIds.toHex(m.id()))
                .containsExactly("b533416d0f1de8dd", "c6222e107b119f0", "52b9e81c8fa0a34");
    }

    @Test
    void everyMemberComputesTheSameClusterId() throws Exception {
        InitialCluster cluster = InitialCluster.parse("a=http://127.0.0.1:1,b=http://127.0.0.1:2,c=http://127.0.0.1:3");
        ClusterBootstrap fromA = ClusterBootstrap.plan("a", List.of("http://127.0.0.1:1"), cluster, "t", NO_DNS);
        ClusterBootstrap fromC = ClusterBootstrap.plan("c", List.of("http://127.0.0.1:3"), cluster, "t", NO_DNS);
        assertThat(fromA.clusterId()).isEqualTo(fromC.clusterId());
        assertThat(fromA.localMemberId()).isNotEqualTo(fromC.localMemberId());
        assertThat(fromA.members()).hasSize(3);
    }

    @Test
    void localNameMustBeInTheInitialCluster() {
        assertThatThrownBy(() -> ClusterBootstrap.plan("x", List.of("http://127.0.0.1:1"),
                InitialCluster.parse("a=http://127.0.0.1:1"), "t", NO_DNS))
                .isInstanceOf(ConfigException.class)
                .hasMessage("couldn't find local name \"x\" in the initial cluster configuration");
    }

    @Test
    void duplicateUrlsAreRefused() {
        assertThatThrownBy(() -> ClusterBootstrap.plan("a", List.of("http://127.0.0.1:1"),
                InitialCluster.parse("a=http://127.0.0.1:1,b=http://127.0.0.1:1"), "t", NO_DNS))
                .hasMessage("initial cluster a=http://127.0.0.1:1,b=http://127.0.0.1:1 has duplicate url");
    }

    @Test
    void advertisedUrlsMustMatchTheLocalEntry() {
        assertThatThrownBy(() -> ClusterBootstrap.plan("a", List.of("http://127.0.0.1:9"),
                InitialCluster.parse("a=http://127.0.0.1:1"), "t", NO_DNS))
                .hasMessageStartingWith("--initial-cluster has a=http://127.0.0.1:1 but missing from --initial-advertise-peer-urls=http://127.0.0.1:9");
    }

    @Test
    void namesThatResolveToTheSameAddressMatchAndTheIdHashesTheInitialClusterText() throws Exception {
        Map<String, String> dns = Map.of("etcd-0", "10.0.0.5", "etcd-0.etcd", "10.0.0.5");
        PeerUrlMatcher matcher = new PeerUrlMatcher(host -> InetAddress.getByName(dns.get(host)), d -> {},
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Duration.ofSeconds(30));
        ClusterBootstrap plan = ClusterBootstrap.plan("etcd-0", List.of("http://etcd-0:2380"),
                InitialCluster.parse("etcd-0=http://etcd-0.etcd:2380"), "tok", matcher);
        assertThat(plan.localMemberId()).isEqualTo(MemberIds.bootstrapMemberId(List.of("http://etcd-0.etcd:2380"), "tok"));
    }

    @Test
    void resolutionIsRetriedUntilTheNameAppears() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Instant[] now = {Instant.EPOCH};
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        PeerUrlMatcher matcher = new PeerUrlMatcher(host -> {
            if (host.equals("late") && attempts.incrementAndGet() < 4) {
                throw new UnknownHostException(host);
            }
            return InetAddress.getByName("10.0.0.7");
        }, d -> now[0] = now[0].plus(d), clock, Duration.ofSeconds(30));
        assertThat(matcher.compare(List.of("http://late:2380"), List.of("http://10.0.0.7:2380")).equal()).isTrue();
        assertThat(attempts.get()).isEqualTo(4);
    }

    @Test
    void resolutionGivesUpAtTheDeadline() throws Exception {
        Instant[] now = {Instant.EPOCH};
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        PeerUrlMatcher matcher = new PeerUrlMatcher(host -> { throw new UnknownHostException(host); },
                d -> now[0] = now[0].plus(d), clock, Duration.ofSeconds(30));
        PeerUrlMatcher.Match match = matcher.compare(List.of("http://never:2380"), List.of("http://10.0.0.7:2380"));
        assertThat(match.equal()).isFalse();
        assertThat(match.reason()).contains("never");
        assertThat(now[0]).isEqualTo(Instant.EPOCH.plusSeconds(30));
    }
}
