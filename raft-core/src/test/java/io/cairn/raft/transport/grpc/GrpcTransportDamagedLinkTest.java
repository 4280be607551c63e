package io.cairn.raft.transport.grpc;

import static io.cairn.raft.transport.grpc.TransportFixture.append;
import static io.cairn.raft.transport.grpc.TransportFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.transport.grpc.TransportFixture.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peer links that damage the bytes under gRPC (a broken middlebox, the jepsen suite's
 * {@code proxy-drop}): the receiver must never act on garbled messages, and a stream left
 * half dead must be noticed and redialled rather than stay stuck.
 */
class GrpcTransportDamagedLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TransportFixture fixture = new TransportFixture();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @Test
    void aStreamWhoseConnectionWentSilentIsRedialledOnAFreshConnection() throws Exception {
        Node receiver = fixture.start(2);
        // keepalive far beyond the test: only the stall watchdog can notice the silence
        Node sender = fixture.start(1, b -> b.keepAlive(Duration.ofMinutes(10), Duration.ofMinutes(1))
                .stallTimeout(Duration.ofMillis(500)).sendQueue(64, 1 << 20));
        try (FaultyTcpProxy proxy = new FaultyTcpProxy(receiver.transport().port())) {
            sender.transport().addPeer(2, proxy.address());
            sender.transport().send(heartbeat(1, 2, 1));
            await().atMost(WAIT).until(() -> receiver.handler().messages().size() == 1);

            proxy.silenceOpenConnections();
            // a leader keeps sending; the silent connection takes gRPC's flow-control window,
            // after which the stream takes nothing more and the queue fills
            AtomicLong index = new AtomicLong(1_000);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                sender.transport().send(append(1, 2, index.incrementAndGet(), 32 * 1024));
                return receiver.handler().messages().stream().anyMatch(m -> m.index() >= 1_000);
            });
            assertThat(proxy.accepted()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aGarbledBatchIsRefusedAndTheStreamRecoversWithoutDeliveringIt() throws Exception {
        Node receiver = fixture.start(2);
        Node sender = fixture.start(1);
        byte[] payload = "cairn-payload-0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] garbled = "cairn-PAYLOAD-0123456789".getBytes(StandardCharsets.US_ASCII);
        try (FaultyTcpProxy proxy = new FaultyTcpProxy(receiver.transport().port())) {
            sender.transport().addPeer(2, proxy.address());
            sender.transport().send(heartbeat(1, 2, 1));
            await().atMost(WAIT).until(() -> receiver.handler().messages().size() == 1);

            // the same length, so HTTP/2 framing and the protobuf still parse: only the seal can tell
            proxy.garbleNext(payload, garbled);
            sender.transport().send(appendCarrying(7, payload));
            AtomicLong context = new AtomicLong(1_000);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                sender.transport().send(heartbeat(1, 2, context.incrementAndGet()));
                return receiver.handler().messages().stream().anyMatch(m -> m.context() > 1_000)
                        && proxy.accepted() >= 2;
            });
            List<byte[]> delivered = receiver.handler().messages().stream().filter(m -> m.type() == MessageType.APPEND)
                    .map(m -> m.entries().get(0).data()).toList();
            assertThat(delivered).noneMatch(d -> Arrays.equals(d, garbled));
            // Raft retransmits the refused entry; the transport delivers it intact
            sender.transport().send(appendCarrying(7, payload));
            await().atMost(WAIT).until(() -> receiver.handler().messages().stream()
                    .anyMatch(m -> m.type() == MessageType.APPEND && Arrays.equals(m.entries().get(0).data(), payload)));
        }
    }

    private static Message appendCarrying(long index, byte[] data) {
        return Message.builder(MessageType.APPEND).from(1).to(2).term(1).logTerm(1).index(index - 1)
                .commit(index - 1).entries(List.of(Entry.normal(1, index, data))).build();
    }
}
