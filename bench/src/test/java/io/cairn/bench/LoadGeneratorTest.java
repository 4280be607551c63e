package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    @Test
    void anEndpointThatRefusesConnectionsEndsTheRunWithAnErrorPerConnection() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again: nothing listens there any more
        }
        LoadSpec spec = new LoadSpec(List.of(URI.create("http://127.0.0.1:" + port)), 4, Operation.PUT, 16, 10,
                Duration.ofHours(1), 1, Duration.ZERO, "/bench", false);

        // a request count that can never be reached must not wait for it forever
        LoadResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> new LoadGenerator(spec, 1).run("test", "all", (phase, n, errors) -> { }));

        assertThat(result.errors()).isEqualTo(4);
        assertThat(result.requests()).isZero();
    }
}
