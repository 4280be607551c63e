package io.cairn.raft.transport.grpc;

import static io.cairn.raft.transport.grpc.TransportFixture.append;
import static io.cairn.raft.transport.grpc.TransportFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.Message;
import io.cairn.raft.transport.RecordingHandler;
import io.cairn.raft.transport.grpc.TransportFixture.Node;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TransportFixture fixture = new TransportFixture();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @Test
    void threeMembersExchangeManyMessagesInOrder() {
        Node[] nodes = {fixture.start(1), fixture.start(2), fixture.start(3)};
        TransportFixture.connectAll(nodes);
        int perLink = 3000;

        for (long i = 1; i <= perLink; i++) {
            for (Node from : nodes) {
                for (Node to : nodes) {
                    if (from != to) {
                        from.transport().send(i % 3 == 0 ? append(from.id(), to.id(), i, 200) : heartbeat(from.id(), to.id(), i));
                    }
                }
            }
        }

        for (Node to : nodes) {
            await().atMost(WAIT).until(() -> to.handler().messages().size() == 2 * perLink);
            for (Node from : nodes) {
                if (from == to) {
                    continue;
                }
                List<Long> sequence = to.handler().messages().stream().filter(m -> m.from() == from.id())
                        .map(m -> m.entries().isEmpty() ? m.context() : m.entries().get(0).index()).toList();
                assertThat(sequence).containsExactlyElementsOf(LongStream.rangeClosed(1, perLink).boxed().toList());
            }
            assertThat(to.handler().messages()).allMatch(m -> m.to() == to.id());
        }
        // exactly what was sent arrives: payloads survive
        Message sample = nodes[1].handler().messages().stream().filter(m -> !m.entries().isEmpty()).findFirst().orElseThrow();
        assertThat(sample).isEqualTo(append(sample.from(), 2, sample.entries().get(0).index(), 200));
        assertThat(nodes[0].handler().unreachable()).isEmpty();
    }

    @Test
    void aMemberOfAnotherClusterIsRefusedAndNothingIsDelivered() {
        Node ours = fixture.start(1);
        GrpcTransport foreign = TransportFixture.testDefaults(2, 0xbadL).build();
        RecordingHandler foreignInbox = new RecordingHandler();
        try {
            foreign.start(foreignInbox);
            foreign.addPeer(1, ours.address());
            ours.transport().addPeer(2, "127.0.0.1:" + foreign.port());

            for (int i = 1; i <= 50; i++) {
                foreign.send(heartbeat(2, 1, i));
                ours.transport().send(heartbeat(1, 2, i));
            }

            await().atMost(WAIT).until(() -> foreignInbox.unreachable().contains(1L)
                    && ours.handler().unreachable().contains(2L));
            assertThat(ours.handler().messages()).isEmpty();
            assertThat(foreignInbox.messages()).isEmpty();
        } finally {
            foreign.close();
        }
    }

    @Test
    void everyCallIsCheckedButExemptServicesAreOpen() throws Exception {
        EchoService checked = new EchoService("test.Checked");
        EchoService open = new EchoService("test.Open");
        Node node = fixture.start(1, b -> b.addService(checked).addExemptService(open));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.transport().port()).usePlaintext().build();
        try {
            // a joining member knows no cluster id yet
            assertThat(ClientCalls.blockingUnaryCall(channel, open.method(), CallOptions.DEFAULT, "members?"))
                    .isEqualTo("members? caller=0");
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, checked.method(), CallOptions.DEFAULT, "x"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).contains("sender id");
                    });
            Channel otherCluster = withHeaders(channel, PeerHeaders.forCall(0xbadL, 7, 1));
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(otherCluster, checked.method(), CallOptions.DEFAULT, "x"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getDescription()).contains("cluster id mismatch"));
            Channel wrongTarget = withHeaders(channel, PeerHeaders.forCall(TransportFixture.CLUSTER, 7, 9));
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(wrongTarget, checked.method(), CallOptions.DEFAULT, "x"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getDescription()).contains("meant to reach member '9'"));
            Channel member = withHeaders(channel, PeerHeaders.forCall(TransportFixture.CLUSTER, 7, 1));
            assertThat(ClientCalls.blockingUnaryCall(member, checked.method(), CallOptions.DEFAULT, "hello"))
                    .isEqualTo("hello caller=7");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendingToAPeerWithoutAddressReportsItUnreachable() {
        Node node = fixture.start(1);
        node.transport().send(heartbeat(1, 42, 1));
        await().atMost(WAIT).until(() -> node.handler().unreachable().contains(42L));
        assertThatThrownBy(() -> node.transport().send(heartbeat(2, 1, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeStopsTheServerAndEveryThread() throws IOException {
        Node a = fixture.start(0xa);
        Node b = fixture.start(0xb);
        TransportFixture.connectAll(a, b);
        a.transport().send(heartbeat(0xa, 0xb, 1));
        b.transport().send(heartbeat(0xb, 0xa, 1));
        await().atMost(WAIT).until(() -> a.handler().messages().size() == 1 && b.handler().messages().size() == 1);
        int port = a.transport().port();
        Set<Thread> nonDaemonBefore = nonDaemonThreads();

        a.transport().close();

        assertThat(a.transport().isTerminated()).isTrue();
        await().atMost(WAIT).until(() -> threadsNamed("cairn-transport-a-").isEmpty());
        assertThat(nonDaemonThreads()).isSubsetOf(nonDaemonBefore);
        // the port is released
        try (ServerSocket rebind = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(rebind.getLocalPort()).isEqualTo(port);
        }
        // the peer notices and keeps working
        await().atMost(WAIT).until(() -> b.handler().unreachable().contains(0xaL));
        a.transport().send(heartbeat(0xa, 0xb, 2)); // ignored after close, not an error
        assertThat(b.handler().messages()).hasSize(1);
    }

    private static Channel withHeaders(Channel channel, Metadata headers) {
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Live non-daemon threads, except Awaitility's own poller (an await may still be finishing with it). */
    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon() && t.isAlive())
                .filter(t -> !t.getName().startsWith("awaitility"))
                .collect(Collectors.toSet());
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).toList();
    }
}
