package io.cairn.jepsen.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTest {

    @Test
    void theMemberListIsReadAsTheV2ApiWritesIt() {
        String body = "{\"members\":[{\"id\":\"8e9e05c52164694d\",\"name\":\"n1\",\"peerURLs\":[\"http://127.0.0.11:2380\"],"
                + "\"clientURLs\":[\"http://127.0.0.11:2379\"]},{\"id\":\"91bc3c398fb3c146\",\"name\":\"\","
                + "\"peerURLs\":[\"http://127.0.0.12:2380\"],\"clientURLs\":[]}]}";
        assertThat(Membership.parse(body)).containsExactly(
                new Membership.Member("8e9e05c52164694d", "n1", List.of("http://127.0.0.11:2380")),
                new Membership.Member("91bc3c398fb3c146", "", List.of("http://127.0.0.12:2380")));
    }
}
