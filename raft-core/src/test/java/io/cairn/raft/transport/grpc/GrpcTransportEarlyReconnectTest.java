package io.cairn.raft.transport.grpc;

import static io.cairn.raft.transport.grpc.TransportFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.transport.grpc.TransportFixture.Node;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that was down when this node first tried it must not wait out a long reconnect backoff
 * once it is up and an election needs it, or once it has connected to us: with a backoff of a
 * minute, only the early reconnect can deliver within the deadline. Nor may it wait out gRPC's
 * own backoff, which the channel falls back to between our attempts.
 */
class GrpcTransportEarlyReconnectTest {
    private static final Duration LONG_BACKOFF = Duration.ofSeconds(60);
    private static final Duration WELL_INSIDE_THE_BACKOFF = Duration.ofSeconds(10);

    private final TransportFixture fixture = new TransportFixture();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"PRE_VOTE", "VOTE"})
    void aVoteRequestReconnectsToAPeerThatStartedLater(MessageType type) {
        int port = TransportFixture.freePort();
        Node candidate = startWithLongBackoff(1);
        candidate.transport().addPeer(2, "127.0.0.1:" + port);
        // addPeer dials at once; nobody listens, so the stream fails and the backoff starts
        await().atMost(WELL_INSIDE_THE_BACKOFF).until(() -> candidate.handler().unreachable().contains(2L));

        Node voter = fixture.start(2, b -> b.listenAddress("127.0.0.1:" + port));
        candidate.transport().send(voteRequest(type));

        await().atMost(WELL_INSIDE_THE_BACKOFF)
                .until(() -> voter.handler().messages().stream().anyMatch(m -> m.type() == type));
    }

    @Test
    void aStreamFromThePeerReconnectsToIt() {
        int port = TransportFixture.freePort();
        Node early = startWithLongBackoff(1);
        early.transport().addPeer(2, "127.0.0.1:" + port);
        early.transport().send(heartbeat(1, 2, 1)); // stays queued while the peer is down
        await().atMost(WELL_INSIDE_THE_BACKOFF).until(() -> early.handler().unreachable().contains(2L));

        Node late = fixture.start(2, b -> b.listenAddress("127.0.0.1:" + port));
        late.transport().addPeer(1, early.address());
        late.transport().send(heartbeat(2, 1, 7));

        await().atMost(WELL_INSIDE_THE_BACKOFF)
                .until(() -> late.handler().messages().stream().anyMatch(m -> m.context() == 1));
    }

    /** A booting node campaigns once its peers are up: the transport tells it when one connects. */
    @Test
    void aPeerThatConnectsIsReportedReachable() {
        int port = TransportFixture.freePort();
        Node early = startWithLongBackoff(1);
        early.transport().addPeer(2, "127.0.0.1:" + port);
        await().atMost(WELL_INSIDE_THE_BACKOFF).until(() -> early.handler().unreachable().contains(2L));
        assertThat(early.handler().reachable()).isEmpty();

        Node late = fixture.start(2, b -> b.listenAddress("127.0.0.1:" + port));
        late.transport().addPeer(1, early.address());

        await().atMost(WELL_INSIDE_THE_BACKOFF).until(() -> early.handler().reachable().contains(2L));
        await().atMost(WELL_INSIDE_THE_BACKOFF).until(() -> late.handler().reachable().contains(1L));
    }

    /**
     * gRPC reports a channel failed until it connects, and on its own would try again only after
     * 1 s, 1.6 s, 2.6 s... The sender's backoff (at most 100 ms here) must keep deciding when the
     * peer is tried: a peer that drops every connection sees a new one about every 100 ms, where
     * gRPC alone would have made 4 attempts in 10 s.
     */
    @Test
    void whileTheChannelStaysFailedTheSendersBackoffKeepsPacingTheAttempts() throws Exception {
        try (ServerSocket droppingPeer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!droppingPeer.isClosed()) {
                    try (Socket dropped = droppingPeer.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "dropping-peer");
            acceptor.start();
            Node sender = fixture.start(1, b -> b.backoff(Duration.ofMillis(20), Duration.ofMillis(100)));
            sender.transport().addPeer(2, "127.0.0.1:" + droppingPeer.getLocalPort());
            sender.transport().send(heartbeat(1, 2, 1));

            await().atMost(WELL_INSIDE_THE_BACKOFF).until(() -> connections.get() >= 12);
        }
    }

    private Node startWithLongBackoff(long id) {
        return fixture.start(id, b -> b.backoff(LONG_BACKOFF, LONG_BACKOFF.multipliedBy(2)));
    }

    private static Message voteRequest(MessageType type) {
        return Message.builder(type).from(1).to(2).term(2).logTerm(1).index(10).build();
    }
}
