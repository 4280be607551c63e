package io.cairn.raft.transport.grpc;

import static io.cairn.raft.transport.grpc.TransportFixture.append;
import static io.cairn.raft.transport.grpc.TransportFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.Message;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.Transport;
import io.cairn.raft.transport.grpc.TransportFixture.Node;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.cairn.raft.transport.grpc.proto.StreamAccepted;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replicate call with its own marshallers, against peers that use gRPC's generated protobuf
 * ones (members of the previous version): both directions interoperate, and the call is still
 * dispatched and refused as before.
 */
class SealedReplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TransportFixture fixture = new TransportFixture();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void closeAll() throws InterruptedException {
        fixture.close();
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Server server : servers) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSenderOfThePreviousVersionIsServedAndItsDamagedBatchRefusedAsDataLoss() {
        Node receiver = fixture.start(2);
        StreamRecorder outcome = new StreamRecorder();
        StreamObserver<MessageBatch> batches = generatedStub(receiver, PeerHeaders.forCall(TransportFixture.CLUSTER, 1, 2))
                .replicate(outcome);

        batches.onNext(sealedTheOldWay(heartbeat(1, 2, 7)));
        await().atMost(WAIT).until(() -> receiver.handler().messages().size() == 1);
        MessageBatch damaged = sealedTheOldWay(heartbeat(1, 2, 8));
        batches.onNext(damaged.toBuilder().setCrc32C(damaged.getCrc32C() ^ 1).build());
        batches.onNext(sealedTheOldWay(heartbeat(1, 2, 9)));

        Status status = Status.fromThrowable(outcome.failure.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());
        assertThat(status.getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(status.getDescription()).startsWith("replication batch checksum mismatch: carried ")
                .endsWith(" over 1 messages");
        assertThat(receiver.handler().messages()).extracting(Message::context).containsExactly(7L);
    }

    @Test
    void anUnsealedBatchOnAStreamThatPromisedSealsIsRefused() {
        Node receiver = fixture.start(2);
        StreamRecorder outcome = new StreamRecorder();
        generatedStub(receiver, PeerHeaders.forCall(TransportFixture.CLUSTER, 1, 2)).replicate(outcome)
                .onNext(batchOf(heartbeat(1, 2, 5)));

        Status status = Status.fromThrowable(outcome.failure.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());
        assertThat(status.getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(status.getDescription()).isEqualTo("replication batch without its checksum");
        assertThat(receiver.handler().messages()).isEmpty();
    }

    @Test
    void aSenderThatDoesNotSealIsServedUnchecked() {
        Node receiver = fixture.start(2);
        Metadata headers = PeerHeaders.forCall(TransportFixture.CLUSTER, 1, 2);
        headers.removeAll(PeerHeaders.BATCH_CHECKSUM);
        StreamObserver<MessageBatch> batches = generatedStub(receiver, headers).replicate(new StreamRecorder());

        batches.onNext(batchOf(heartbeat(1, 2, 5)));
        await().atMost(WAIT).until(() -> receiver.handler().messages().size() == 1);
        assertThat(receiver.handler().messages().get(0).context()).isEqualTo(5);
    }

    @Test
    void aReceiverOfThePreviousVersionGetsBatchesItCanCheck() throws IOException {
        List<MessageBatch> received = new CopyOnWriteArrayList<>();
        Server peer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new RaftPeerGrpc.RaftPeerImplBase() {
                    @Override
                    public StreamObserver<MessageBatch> replicate(StreamObserver<StreamAccepted> accepted) {
                        accepted.onNext(StreamAccepted.newBuilder().setNodeId(2).build());
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(MessageBatch batch) {
                                received.add(batch);
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                accepted.onCompleted();
                            }
                        };
                    }
                }).build().start();
        servers.add(peer);
        Node sender = fixture.start(1);
        sender.transport().addPeer(2, "127.0.0.1:" + peer.getPort());
        sender.transport().send(heartbeat(1, 2, 1));
        sender.transport().send(append(1, 2, 2, 100_000));

        await().atMost(WAIT).until(() -> received.stream().mapToInt(MessageBatch::getMessagesCount).sum() == 2);
        for (MessageBatch batch : received) {
            assertThat(batch.hasCrc32C()).isTrue();
            assertThat(batch.getCrc32C()).isEqualTo(crc32c(batch.toBuilder().clearCrc32C().build().toByteArray()));
        }
    }

    @Test
    void batchesAreHandedToTheNodeOnTheNetworkThread() {
        List<String> threads = new CopyOnWriteArrayList<>();
        GrpcTransport receiver = TransportFixture.testDefaults(2, TransportFixture.CLUSTER).build();
        try {
            receiver.start(new Transport.InboundHandler() {
                @Override
                public void onMessage(Message message) {
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public SnapshotStore.Writer openSnapshot(Message message) throws IOException {
                    throw new IOException("no snapshots here");
                }

                @Override
                public void onUnreachable(long peerId) {
                }
            });
            Node sender = fixture.start(1);
            sender.transport().addPeer(2, "127.0.0.1:" + receiver.port());
            sender.transport().send(heartbeat(1, 2, 1));
            await().atMost(WAIT).until(() -> threads.size() == 1);
            // The first batch may race gRPC's call start, which runs on the pool; once the
            // stream is open, batches must not hop through the pool that serves the other calls.
            sender.transport().send(heartbeat(1, 2, 2));
            await().atMost(WAIT).until(() -> threads.size() == 2);
            assertThat(threads.get(1)).doesNotStartWith("cairn-transport-2-inbound");
        } finally {
            receiver.close();
        }
    }

    private RaftPeerGrpc.RaftPeerStub generatedStub(Node receiver, Metadata headers) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", receiver.transport().port())
                .usePlaintext().build();
        channels.add(channel);
        return RaftPeerGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static MessageBatch batchOf(Message message) {
        return MessageBatch.newBuilder().addMessages(MessageCodec.encode(message)).build();
    }

    /** Sealed as senders of the previous version did, for gRPC's protobuf marshaller to encode. */
    private static MessageBatch sealedTheOldWay(Message message) {
        MessageBatch batch = batchOf(message);
        return batch.toBuilder().setCrc32C(crc32c(batch.toByteArray())).build();
    }

    private static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** The sender's view of a replicate call: how it ended. */
    private static final class StreamRecorder implements StreamObserver<StreamAccepted> {
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();

        @Override
        public void onNext(StreamAccepted accepted) {
        }

        @Override
        public void onError(Throwable t) {
            failure.complete(t);
        }

        @Override
        public void onCompleted() {
            failure.complete(null);
        }
    }
}
