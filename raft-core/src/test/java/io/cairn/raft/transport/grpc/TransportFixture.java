package io.cairn.raft.transport.grpc;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.transport.RecordingHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/** Starts GrpcTransports on loopback and closes every one of them after the test. */
final class TransportFixture implements AutoCloseable {
    static final long CLUSTER = 0xc1a5_7e12L;
    private static final int FIRST_PORT = 21000;
    private static final int LAST_PORT = 21999;

    /** A started transport and what it received. */
    record Node(long id, GrpcTransport transport, RecordingHandler handler) {
        String address() {
            return "127.0.0.1:" + transport.port();
        }
    }

    private final List<GrpcTransport> started = new ArrayList<>();

    /** Fast reconnects and snappy keepalives so failure tests finish quickly. */
    static GrpcTransport.Builder testDefaults(long id, long cluster) {
        return GrpcTransport.builder(id, cluster)
                .listenAddress("127.0.0.1:0")
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    Node start(long id) {
        return start(id, UnaryOperator.identity());
    }

    Node start(long id, UnaryOperator<GrpcTransport.Builder> customize) {
        GrpcTransport transport = customize.apply(testDefaults(id, CLUSTER)).build();
        RecordingHandler handler = new RecordingHandler();
        started.add(transport);
        transport.start(handler);
        return new Node(id, transport, handler);
    }

    /** Makes every node know every other node's address. */
    static void connectAll(Node... nodes) {
        for (Node from : nodes) {
            for (Node to : nodes) {
                if (from != to) {
                    from.transport().addPeer(to.id(), to.address());
                }
            }
        }
    }

    /** A port in this suite's range that is free right now. */
    static int freePort() {
        int span = LAST_PORT - FIRST_PORT + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FIRST_PORT + (start + i) % span;
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return port;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free port in " + FIRST_PORT + "-" + LAST_PORT));
    }

    static Message append(long from, long to, long index, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        payload[0] = (byte) index;
        return Message.builder(MessageType.APPEND).from(from).to(to).term(1).logTerm(1).index(index - 1)
                .commit(index - 1).entries(List.of(Entry.normal(1, index, payload))).build();
    }

    static Message heartbeat(long from, long to, long context) {
        return Message.builder(MessageType.HEARTBEAT).from(from).to(to).term(1).context(context).build();
    }

    @Override
    public void close() {
        for (GrpcTransport transport : started) {
            transport.close();
        }
    }
}
