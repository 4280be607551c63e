package io.cairn.raft.transport.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.transport.BytesSnapshot;
import io.cairn.raft.transport.RecordingHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final InMemoryNetwork network = new InMemoryNetwork();
    private final RecordingHandler[] handlers = {null, new RecordingHandler(), new RecordingHandler(), new RecordingHandler()};
    private final InMemoryTransport[] transports = new InMemoryTransport[4];

    @BeforeEach
    void startThreeNodes() {
        for (int id = 1; id <= 3; id++) {
            transports[id] = network.transport(id);
            transports[id].start(handlers[id]);
        }
    }

    @AfterEach
    void closeNetwork() {
        network.close();
    }

    private static Message heartbeat(long from, long to, long context) {
        return Message.builder(MessageType.HEARTBEAT).from(from).to(to).term(1).context(context).build();
    }

    @Test
    void deliversEveryMessageInOrderPerLink() {
        for (long i = 1; i <= 1000; i++) {
            transports[1].send(heartbeat(1, 2, i));
            transports[3].send(heartbeat(3, 2, i));
        }
        await().atMost(WAIT).until(() -> handlers[2].messages().size() == 2000);

        for (long from : new long[] {1, 3}) {
            List<Long> contexts = handlers[2].messages().stream()
                    .filter(m -> m.from() == from).map(Message::context).toList();
            assertThat(contexts).containsExactlyElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
        }
    }

    @Test
    void oneWayPartitionLosesOnlyThatDirectionUntilHealed() {
        network.partitionOneWay(1, 2);
        transports[1].send(heartbeat(1, 2, 1));
        transports[2].send(heartbeat(2, 1, 2));
        await().atMost(WAIT).until(() -> handlers[1].messages().size() == 1);

        network.healOneWay(1, 2);
        transports[1].send(heartbeat(1, 2, 3));
        await().atMost(WAIT).until(() -> handlers[2].messages().size() == 1);
        // the message sent during the partition was lost, not delayed
        assertThat(handlers[2].messages()).extracting(Message::context).containsExactly(3L);
        assertThat(handlers[1].unreachable()).isEmpty();
    }

    @Test
    void symmetricPartitionAndIsolation() {
        network.partition(1, 2);
        network.isolate(3);
        transports[1].send(heartbeat(1, 2, 1));
        transports[2].send(heartbeat(2, 1, 2));
        transports[1].send(heartbeat(1, 3, 3));
        transports[3].send(heartbeat(3, 2, 4));
        // a marker on a link that still works proves the others had their chance to arrive
        network.heal(1, 2);
        network.rejoin(3);
        transports[1].send(heartbeat(1, 2, 5));
        transports[2].send(heartbeat(2, 1, 6));
        transports[1].send(heartbeat(1, 3, 7));

        await().atMost(WAIT).until(() -> handlers[2].messages().size() == 1
                && handlers[1].messages().size() == 1 && handlers[3].messages().size() == 1);
        assertThat(handlers[2].messages()).extracting(Message::context).containsExactly(5L);
        assertThat(handlers[1].messages()).extracting(Message::context).containsExactly(6L);
        assertThat(handlers[3].messages()).extracting(Message::context).containsExactly(7L);
    }

    @Test
    void healAllRestoresEveryLink() {
        network.partition(1, 2);
        network.isolate(3);
        assertThat(network.isConnected(1, 2)).isFalse();
        assertThat(network.isConnected(2, 3)).isFalse();
        network.healAll();
        assertThat(network.isConnected(1, 2)).isTrue();
        assertThat(network.isConnected(2, 3)).isTrue();
    }

    @Test
    void closedNodeIsReportedUnreachable() {
        transports[3].close();
        transports[1].send(heartbeat(1, 3, 1));
        await().atMost(WAIT).until(() -> handlers[1].unreachable().equals(List.of(3L)));
        assertThat(network.isRegistered(3)).isFalse();
        assertThat(handlers[3].messages()).isEmpty();
    }

    @Test
    void snapshotIsCommittedBeforeItsMessageIsDelivered() throws Exception {
        SnapshotMetadata meta = new SnapshotMetadata(100, 3, ClusterConfig.ofVoters(1L, 2L, 3L));
        BytesSnapshot snapshot = BytesSnapshot.random(meta, 300_000, 7);
        Message message = Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(3).snapshot(meta).build();

        transports[1].sendSnapshot(message, snapshot).get(10, TimeUnit.SECONDS);

        List<RecordingHandler.Event> events = handlers[2].events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(RecordingHandler.SnapshotCommitted.class,
                c -> assertThat(c.snapshot().data()).isEqualTo(snapshot.data()));
        assertThat(events.get(1)).isEqualTo(new RecordingHandler.Delivered(message));
    }

    @Test
    void snapshotOverACutLinkFailsAndWritesNothing() {
        SnapshotMetadata meta = new SnapshotMetadata(10, 1, ClusterConfig.ofVoters(1L, 2L));
        Message message = Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(1).snapshot(meta).build();
        network.partition(1, 2);

        assertThatThrownBy(() -> transports[1].sendSnapshot(message, BytesSnapshot.random(meta, 10, 1))
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("partitioned");
        assertThat(handlers[2].events()).isEmpty();
    }

    @Test
    void snapshotQueuedOnANodeThatLeavesFailsInsteadOfWaitingForever() throws Exception {
        SnapshotMetadata meta = new SnapshotMetadata(10, 1, ClusterConfig.ofVoters(1L, 2L));
        Message message = Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(1).snapshot(meta).build();
        // Node 2's inbox is busy with a message, so the install queues behind it.
        CountDownLatch busy = new CountDownLatch(1);
        handlers[2].holdMessages(busy);
        transports[1].send(heartbeat(1, 2, 1));
        CompletableFuture<Void> transfer = transports[1].sendSnapshot(message, BytesSnapshot.random(meta, 10, 1));

        transports[2].close(); // a crash: the queued install is discarded with the inbox

        assertThatThrownBy(() -> transfer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("left the network");
        assertThat(handlers[2].events()).noneMatch(e -> e instanceof RecordingHandler.SnapshotCommitted);
    }

    @Test
    void messagesMustComeFromTheLocalNode() {
        assertThatThrownBy(() -> transports[1].send(heartbeat(2, 3, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNodeIdCanOnlyJoinOnce() {
        assertThatThrownBy(() -> network.transport(1).start(new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class);
    }
}
