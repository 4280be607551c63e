package io.cairn.raft.transport.grpc;

import static io.cairn.raft.transport.grpc.TransportFixture.append;
import static io.cairn.raft.transport.grpc.TransportFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.Message;
import io.cairn.raft.transport.RecordingHandler;
import io.cairn.raft.transport.grpc.TransportFixture.Node;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcTransportFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TransportFixture fixture = new TransportFixture();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @Test
    void senderReconnectsAfterTheReceiverRestartsOnTheSameAddress() {
        int port = TransportFixture.freePort();
        Node sender = fixture.start(1);
        Node first = fixture.start(2, b -> b.listenAddress("127.0.0.1:" + port));
        sender.transport().addPeer(2, "http://127.0.0.1:" + port); // etcd-style peer URL
        sender.transport().send(heartbeat(1, 2, 1));
        await().atMost(WAIT).until(() -> first.handler().messages().size() == 1);

        first.transport().close();
        await().atMost(WAIT).until(() -> sender.handler().unreachable().contains(2L));
        sender.transport().send(heartbeat(1, 2, 2)); // queued or lost while the peer is down

        Node second = fixture.start(2, b -> b.listenAddress("127.0.0.1:" + port));
        // keep sending until the reconnected stream delivers: the sender must find it by itself
        AtomicLong next = new AtomicLong(100);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            sender.transport().send(heartbeat(1, 2, next.incrementAndGet()));
            return !second.handler().messages().isEmpty();
        });
        // afterwards the stream is healthy: everything sent arrives, in order
        for (long i = 1; i <= 500; i++) {
            sender.transport().send(heartbeat(1, 2, 10_000 + i));
        }
        await().atMost(WAIT).until(() -> afterRestart(second).size() == 500);
        assertThat(afterRestart(second)).containsExactlyElementsOf(LongStream.rangeClosed(10_001, 10_500).boxed().toList());
    }

    private static List<Long> afterRestart(Node node) {
        return node.handler().messages().stream().map(Message::context).filter(c -> c > 10_000).toList();
    }

    @Test
    void aPeerThatIsDownFillsOnlyItsBoundedQueue() {
        int deadPort = TransportFixture.freePort(); // nothing listens there
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Node sender = fixture.start(1, b -> b.sendQueue(100, 1 << 20).meterRegistry(meters));
        sender.transport().addPeer(2, "127.0.0.1:" + deadPort);

        for (long i = 1; i <= 20_000; i++) {
            sender.transport().send(append(1, 2, i, 100));
            assertThat(sender.transport().queuedMessages(2)).isLessThanOrEqualTo(100);
        }

        await().atMost(WAIT).until(() -> sender.handler().unreachable().contains(2L));
        double dropped = meters.get("cairn.transport.dropped.messages").tag("peer", "2").counter().count();
        assertThat(dropped).isGreaterThanOrEqualTo(20_000 - 100);
        assertThat(meters.get("cairn.transport.queue.messages").tag("peer", "2").gauge().value()).isLessThanOrEqualTo(100);
        // once for the failed connection, once for the episode of drops: not once per message
        assertThat(sender.handler().unreachable()).containsOnly(2L).hasSizeBetween(1, 2);
    }

    @Test
    void theByteBoundHoldsForLargeMessages() {
        int deadPort = TransportFixture.freePort();
        Node sender = fixture.start(1, b -> b.sendQueue(10_000, 1 << 20));
        sender.transport().addPeer(2, "127.0.0.1:" + deadPort);

        for (long i = 1; i <= 200; i++) {
            sender.transport().send(append(1, 2, i, 64 * 1024));
        }
        // 1 MiB of 64 KiB entries (plus per-message overhead) holds at most 15 of them
        assertThat(sender.transport().queuedMessages(2)).isBetween(1, 16);
    }

    @Test
    void aSlowPeerFillsTheSendQueueNotMemoryAndCatchesUpLater() {
        // a receiver that stops reading is a stall too; this test is about the bounds, not redialling
        Node sender = fixture.start(1, b -> b.sendQueue(32, 64L << 20).maxBatchBytes(64 * 1024)
                .stallTimeout(Duration.ofMinutes(5)));
        CountDownLatch receiverUnblocked = new CountDownLatch(1);
        RecordingHandler slowInbox = new RecordingHandler();
        slowInbox.holdMessages(receiverUnblocked);
        GrpcTransport slow = TransportFixture.testDefaults(2, TransportFixture.CLUSTER).build();
        try {
            slow.start(slowInbox);
            sender.transport().addPeer(2, "127.0.0.1:" + slow.port());

            // 64 MiB offered to a peer that reads nothing: gRPC flow control must stop the
            // stream, after which the queue bound drops the rest
            long sent = 0;
            for (long i = 1; i <= 1024; i++) {
                sender.transport().send(append(1, 2, i, 64 * 1024));
                sent++;
            }
            assertThat(sent).isEqualTo(1024);
            await().atMost(WAIT).until(() -> sender.handler().unreachable().contains(2L));
            assertThat(sender.transport().queuedMessages(2)).isLessThanOrEqualTo(32);
        } finally {
            receiverUnblocked.countDown();
        }
        try {
            // once the receiver drains, new messages flow again
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                sender.transport().send(heartbeat(1, 2, 777));
                return slowInbox.messages().stream().anyMatch(m -> m.context() == 777);
            });
            // what arrived is a prefix-ordered subset: never reordered, some dropped
            assertThat(slowInbox.messages().stream().filter(m -> !m.entries().isEmpty())
                    .map(m -> m.entries().get(0).index()).toList()).isSorted().hasSizeLessThan(1024);
        } finally {
            slow.close();
        }
    }
}
