package io.cairn.raft.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.BytesSnapshot;
import io.cairn.raft.transport.RecordingHandler;
import io.cairn.raft.transport.grpc.TransportFixture.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcSnapshotTransferTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CHUNK = 256 * 1024;
    private static final SnapshotMetadata META = new SnapshotMetadata(5000, 7, ClusterConfig.ofVoters(1L, 2L, 3L));
    private static final Message SNAPSHOT = Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(7).snapshot(META).build();

    private final TransportFixture fixture = new TransportFixture();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    private Node[] pair(Duration chunkTimeout) {
        Node leader = fixture.start(1, b -> b.snapshotChunks(CHUNK, chunkTimeout));
        Node follower = fixture.start(2);
        TransportFixture.connectAll(leader, follower);
        return new Node[] {leader, follower};
    }

    @Test
    void multiMegabyteSnapshotIsStreamedInChunksAndCommittedBeforeItsMessage() throws Exception {
        Node[] nodes = pair(Duration.ofSeconds(10));
        BytesSnapshot snapshot = BytesSnapshot.random(META, 5 * 1024 * 1024 + 123, 42);

        nodes[0].transport().sendSnapshot(SNAPSHOT, snapshot).get(60, TimeUnit.SECONDS);

        RecordingHandler follower = nodes[1].handler();
        List<RecordingHandler.Event> events = follower.events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(RecordingHandler.SnapshotCommitted.class, committed -> {
            assertThat(committed.snapshot().metadata()).isEqualTo(META);
            assertThat(committed.snapshot().data()).isEqualTo(snapshot.data());
        });
        assertThat(events.get(1)).isEqualTo(new RecordingHandler.Delivered(SNAPSHOT));
        assertThat(follower.maxSnapshotWrite()).isEqualTo(CHUNK);
        assertThat(follower.openWriters()).isZero();
    }

    @Test
    void emptySnapshotStillCommitsAndDelivers() throws Exception {
        Node[] nodes = pair(Duration.ofSeconds(10));
        nodes[0].transport().sendSnapshot(SNAPSHOT, new BytesSnapshot(META, new byte[0])).get(60, TimeUnit.SECONDS);
        assertThat(nodes[1].handler().events()).hasSize(2).last().isEqualTo(new RecordingHandler.Delivered(SNAPSHOT));
    }

    @Test
    void receiverFailureFailsTheSenderAndDeliversNothing() {
        Node[] nodes = pair(Duration.ofSeconds(10));
        nodes[1].handler().failOpenSnapshot(new IOException("disk full"));

        assertThatThrownBy(() -> nodes[0].transport().sendSnapshot(SNAPSHOT, BytesSnapshot.random(META, 1000, 1))
                .get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("disk full");
        assertThat(nodes[1].handler().messages()).isEmpty();
    }

    @Test
    void aStalledChunkTimesOutAndTheReceiverAbortsItsWriter() throws Exception {
        Node[] nodes = pair(Duration.ofMillis(500));
        CountDownLatch disk = new CountDownLatch(1);
        nodes[1].handler().holdSnapshotWrites(disk);
        try {
            assertThatThrownBy(() -> nodes[0].transport().sendSnapshot(SNAPSHOT, BytesSnapshot.random(META, 3 * CHUNK, 2))
                    .get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        } finally {
            disk.countDown();
        }
        await().atMost(WAIT).until(() -> nodes[1].handler().openWriters() == 0);
        assertThat(nodes[1].handler().events()).singleElement().isInstanceOf(RecordingHandler.SnapshotAborted.class);

        // the snapshot was never delivered, and the peer link itself is unharmed
        nodes[0].transport().send(TransportFixture.heartbeat(1, 2, 1));
        await().atMost(WAIT).until(() -> nodes[1].handler().messages().size() == 1);
        assertThat(nodes[1].handler().messages().get(0).type()).isEqualTo(MessageType.HEARTBEAT);
    }

    @Test
    void receiverGoingAwayMidTransferFailsTheSenderPromptly() throws Exception {
        Node[] nodes = pair(Duration.ofSeconds(60));
        CountDownLatch disk = new CountDownLatch(1);
        nodes[1].handler().holdSnapshotWrites(disk);
        CompletableFuture<Void> transfer =
                nodes[0].transport().sendSnapshot(SNAPSHOT, BytesSnapshot.random(META, 4 * CHUNK, 5));
        await().atMost(WAIT).until(() -> nodes[1].handler().openWriters() == 1);

        Thread closer = new Thread(nodes[1].transport()::close);
        closer.start();
        try {
            // long before the 60 s chunk deadline: the broken call itself fails the transfer
            assertThatThrownBy(() -> transfer.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            disk.countDown();
            closer.join();
        }
        assertThat(nodes[1].handler().openWriters()).isZero();
        assertThat(nodes[1].handler().messages()).isEmpty();
    }

    @Test
    void closingTheSenderFailsItsTransfers() {
        Node[] nodes = pair(Duration.ofSeconds(60));
        nodes[1].handler().holdSnapshotWrites(new CountDownLatch(1)); // never opens: only close can end it
        CompletableFuture<Void> transfer =
                nodes[0].transport().sendSnapshot(SNAPSHOT, BytesSnapshot.random(META, 4 * CHUNK, 6));
        await().atMost(WAIT).until(() -> nodes[1].handler().openWriters() == 1);

        nodes[0].transport().close();

        assertThatThrownBy(() -> transfer.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(nodes[0].transport().sendSnapshot(SNAPSHOT, BytesSnapshot.random(META, 10, 7)))
                .isCompletedExceptionally();
    }

    @Test
    void aSnapshotShorterThanAnnouncedFailsWithoutCommitting() {
        Node[] nodes = pair(Duration.ofSeconds(10));
        SnapshotStore.StoredSnapshot truncated = new SnapshotStore.StoredSnapshot() {
            @Override
            public SnapshotMetadata metadata() {
                return META;
            }

            @Override
            public long sizeBytes() {
                return 5000;
            }

            @Override
            public InputStream open(long offset) {
                return new ByteArrayInputStream(new byte[1000]);
            }
        };

        assertThatThrownBy(() -> nodes[0].transport().sendSnapshot(SNAPSHOT, truncated).get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("ended at 1000 of 5000");
        await().atMost(WAIT).until(() -> nodes[1].handler().openWriters() == 0);
        assertThat(nodes[1].handler().messages()).isEmpty();
    }
}
