package io.cairn.raft.transport.grpc;

import static io.cairn.raft.transport.grpc.TransportFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.transport.BytesSnapshot;
import io.cairn.raft.transport.grpc.TransportFixture.Node;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpcTransportTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TransportFixture fixture = new TransportFixture();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @Test
    void membersTalkOverMutualTls() throws Exception {
        PeerTls tls = TestCertificates.selfSigned(dir, "member", true);
        EchoService info = new EchoService("test.Info");
        Node a = fixture.start(1, b -> b.tls(tls).addExemptService(info));
        Node b = fixture.start(2, b2 -> b2.tls(tls));
        TransportFixture.connectAll(a, b);

        a.transport().send(heartbeat(1, 2, 1));
        b.transport().send(heartbeat(2, 1, 2));
        await().atMost(WAIT).until(() -> a.handler().messages().size() == 1 && b.handler().messages().size() == 1);

        SnapshotMetadata meta = new SnapshotMetadata(9, 2, ClusterConfig.ofVoters(1L, 2L));
        Message snapshot = Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(2).snapshot(meta).build();
        a.transport().sendSnapshot(snapshot, BytesSnapshot.random(meta, 100_000, 3)).get(60, TimeUnit.SECONDS);
        assertThat(b.handler().messages()).contains(snapshot);

        // openChannel gives other components the same security, e.g. for a joining member's query
        ManagedChannel channel = b.transport().openChannel(a.address());
        try {
            assertThat(ClientCalls.blockingUnaryCall(channel, info.method(), CallOptions.DEFAULT, "members?"))
                    .isEqualTo("members? caller=0");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void plaintextPeersCannotReachATlsMember() throws Exception {
        PeerTls tls = TestCertificates.selfSigned(dir, "member", true);
        EchoService info = new EchoService("test.Info");
        Node secure = fixture.start(1, b -> b.tls(tls).addExemptService(info));
        Node plain = fixture.start(2);
        plain.transport().addPeer(1, secure.address());
        plain.transport().send(heartbeat(2, 1, 1));

        await().atMost(WAIT).until(() -> plain.handler().unreachable().contains(1L));
        assertThat(secure.handler().messages()).isEmpty();

        // and a TLS client without a certificate is refused when client certificates are required
        ManagedChannel anonymous = NettyChannelBuilder.forAddress("127.0.0.1", secure.transport().port())
                .sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient()
                        .trustManager(tls.trustedCa().toFile()).build())
                .build();
        try {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(anonymous, info.method(),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), "x"))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
