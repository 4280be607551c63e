package io.cairn.raft.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void acceptsHostPortAndEtcdPeerUrls() {
        assertThat(PeerAddress.parse("10.0.0.5:2380")).isEqualTo(new PeerAddress("10.0.0.5", 2380));
        assertThat(PeerAddress.parse("http://cairn-0.cairn.default.svc:2380"))
                .isEqualTo(new PeerAddress("cairn-0.cairn.default.svc", 2380));
        assertThat(PeerAddress.parse(" https://node:2380/ ")).isEqualTo(new PeerAddress("node", 2380));
        assertThat(PeerAddress.parse("[::1]:2380")).isEqualTo(new PeerAddress("::1", 2380));
        assertThat(PeerAddress.parse("[::1]:2380")).hasToString("[::1]:2380");
    }

    @Test
    void rejectsAddressesWithoutPort() {
        for (String bad : new String[] {"node", "http://node", "", ":2380", "node:port"}) {
            assertThatThrownBy(() -> PeerAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
