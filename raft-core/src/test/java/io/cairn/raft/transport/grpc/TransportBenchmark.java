package io.cairn.raft.transport.grpc;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.Transport;
import io.cairn.raft.transport.grpc.proto.WireMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the peer transport: APPEND messages (4 entries of 256 bytes, like a leader
 * replicating small v2 writes) pushed from one member to another over loopback gRPC, and the
 * codec alone. Run with:
 * {@code java -cp <raft-core test classpath> org.openjdk.jmh.Main TransportBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class TransportBenchmark {
    private static final int BATCH = 1000;

    @State(Scope.Benchmark)
    public static class Link {
        final AtomicLong received = new AtomicLong();
        GrpcTransport sender;
        GrpcTransport receiver;
        List<Message> appends;
        long expected;

        @Setup(Level.Trial)
        public void start() {
            receiver = GrpcTransport.builder(2, 7).listenAddress("127.0.0.1:0").build();
            receiver.start(new Counting(received));
            sender = GrpcTransport.builder(1, 7).listenAddress("127.0.0.1:0").build();
            sender.start(new Counting(new AtomicLong()));
            sender.addPeer(2, "127.0.0.1:" + receiver.port());
            appends = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                appends.add(append(i));
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            sender.close();
            receiver.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void appendsOverGrpc(Link link) {
        for (Message m : link.appends) {
            link.sender.send(m);
        }
        link.expected += BATCH;
        while (link.received.get() < link.expected) {
            LockSupport.parkNanos(10_000);
        }
    }

    @State(Scope.Thread)
    public static class Codec {
        final Message message = append(1);
    }

    @Benchmark
    public Message codecRoundTrip(Codec codec) throws Exception {
        byte[] bytes = MessageCodec.encode(codec.message).toByteArray();
        return MessageCodec.decode(WireMessage.parseFrom(bytes));
    }

    static Message append(long index) {
        List<Entry> entries = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            entries.add(Entry.normal(3, index * 4 + e + 1, new byte[256]));
        }
        return Message.builder(MessageType.APPEND).from(1).to(2).term(3).logTerm(3).index(index * 4)
                .commit(index * 4).entries(entries).build();
    }

    /** Counts deliveries; a benchmark receiver does no work. */
    private record Counting(AtomicLong count) implements Transport.InboundHandler {
        @Override
        public void onMessage(Message message) {
            count.incrementAndGet();
        }

        @Override
        public SnapshotStore.Writer openSnapshot(Message message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void onUnreachable(long peerId) {
        }
    }
}
