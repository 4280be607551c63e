package io.cairn.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MemberIdsTest {

    @Test
    void bootstrapMemberIdMatchesEtcdVerifiedVector() {
        long id = MemberIds.bootstrapMemberId(List.of("http://127.0.0.1:23380"), "tok1");
        assertThat(MemberIds.toHex(id)).isEqualTo("d135fd1709435c22");
    }

    @Test
    void singleMemberClusterIdMatchesEtcd() {
        long id = MemberIds.bootstrapMemberId(List.of("http://127.0.0.1:23380"), "tok1");
        assertThat(MemberIds.toHex(MemberIds.clusterId(List.of(id)))).isEqualTo("70f1cd662a9a4784");
    }

    @Test
    void runtimeAddedMemberIdMatchesEtcdVerifiedVector() {
        long id = MemberIds.runtimeMemberId(List.of("http://127.0.0.1:23442"), 1795460041L);
        assertThat(MemberIds.toHex(id)).isEqualTo("7728b2d85beb2b73");
    }

    @Test
    void memberIdMatchesRealEtcdObservedHere() {
        // etcd 3.4.23 run in this repository's sandbox: --initial-cluster n1=http://127.0.0.1:25380, token tok1
        long id = MemberIds.bootstrapMemberId(List.of("http://127.0.0.1:25380"), "tok1");
        assertThat(MemberIds.toHex(id)).isEqualTo("d8a19b9d5b31b67c");
    }

    @Test
    void peerUrlsAreSortedBeforeHashing() {
        long a = MemberIds.bootstrapMemberId(List.of("http://b:1", "http://a:1"), "t");
        long b = MemberIds.bootstrapMemberId(List.of("http://a:1", "http://b:1"), "t");
        assertThat(a).isEqualTo(b).isNotEqualTo(MemberIds.bootstrapMemberId(List.of("http://a:1", "http://b:1"), "u"));
    }

    @Test
    void hexHasNoLeadingZeros() {
        assertThat(MemberIds.toHex(0x052b9e81c8fa0a34L)).isEqualTo("52b9e81c8fa0a34");
        assertThat(MemberIds.parseHex("52b9e81c8fa0a34")).isEqualTo(0x052b9e81c8fa0a34L);
    }

    @Property
    void clusterIdIgnoresTheOrderMembersAreGivenIn(@ForAll long a, @ForAll long b, @ForAll long c) {
        assertThat(MemberIds.clusterId(List.of(a, b, c))).isEqualTo(MemberIds.clusterId(List.of(c, a, b)));
    }

    @Property
    void hexRoundTripsEveryId(@ForAll long id) {
        assertThat(MemberIds.parseHex(MemberIds.toHex(id))).isEqualTo(id);
    }
}
