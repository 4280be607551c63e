package io.cairn.raft.transport;

import io.cairn.raft.core.Message;
import io.cairn.raft.storage.SnapshotStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An inbound handler that records everything it is given, in order, including the point at
 * which snapshot writers are committed or aborted relative to delivered messages.
 */
public final class RecordingHandler implements Transport.InboundHandler {
    /** What happened, in order. */
    public sealed interface Event permits Delivered, SnapshotCommitted, SnapshotAborted {
    }

    public record Delivered(Message message) implements Event {
    }

    public record SnapshotCommitted(BytesSnapshot snapshot) implements Event {
    }

    public record SnapshotAborted(Message message, long bytesWritten) implements Event {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Long> unreachable = new CopyOnWriteArrayList<>();
    private final List<Long> reachable = new CopyOnWriteArrayList<>();
    private final AtomicInteger openWriters = new AtomicInteger();
    private final AtomicInteger maxSnapshotWrite = new AtomicInteger();
    private volatile IOException failOpen;
    private volatile CountDownLatch writeGate;
    private volatile CountDownLatch messageGate;

    public List<Event> events() {
        return events;
    }

    public List<Message> messages() {
        return messages;
    }

    public List<Long> unreachable() {
        return unreachable;
    }

    public List<Long> reachable() {
        return reachable;
    }

    /** Writers opened and neither committed nor aborted yet. */
    public int openWriters() {
        return openWriters.get();
    }

    /** The largest single write into a snapshot writer: at most one chunk if data is chunked. */
    public int maxSnapshotWrite() {
        return maxSnapshotWrite.get();
    }

    /** Makes snapshot writes wait until {@code gate} opens (a stalled disk). */
    public void holdSnapshotWrites(CountDownLatch gate) {
        this.writeGate = gate;
    }

    /** Makes onMessage wait until {@code gate} opens (a node that has stopped reading). */
    public void holdMessages(CountDownLatch gate) {
        this.messageGate = gate;
    }

    /** Makes the next calls to openSnapshot fail (null to stop). */
    public void failOpenSnapshot(IOException failure) {
        this.failOpen = failure;
    }

    @Override
    public void onMessage(Message message) {
        awaitQuietly(messageGate);
        messages.add(message);
        events.add(new Delivered(message));
    }

    @Override
    public void onUnreachable(long peerId) {
        unreachable.add(peerId);
    }

    @Override
    public void onReachable(long peerId) {
        reachable.add(peerId);
    }

    @Override
    public SnapshotStore.Writer openSnapshot(Message message) throws IOException {
        if (failOpen != null) {
            throw failOpen;
        }
        openWriters.incrementAndGet();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OutputStream output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (!awaitQuietly(writeGate)) {
                    throw new InterruptedIOException();
                }
                maxSnapshotWrite.accumulateAndGet(len, Math::max);
                buffer.write(b, off, len);
            }
        };
        return new SnapshotStore.Writer() {
            private boolean finished;

            @Override
            public OutputStream output() {
                return output;
            }

            @Override
            public SnapshotStore.StoredSnapshot commit() {
                if (finished) {
                    throw new IllegalStateException("writer already finished");
                }
                finished = true;
                openWriters.decrementAndGet();
                BytesSnapshot stored = new BytesSnapshot(message.snapshot(), buffer.toByteArray());
                events.add(new SnapshotCommitted(stored));
                return stored;
            }

            @Override
            public void abort() {
                if (!finished) {
                    finished = true;
                    openWriters.decrementAndGet();
                    events.add(new SnapshotAborted(message, buffer.size()));
                }
            }

            @Override
            public void close() {
                abort();
            }
        };
    }

    private static boolean awaitQuietly(CountDownLatch gate) {
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
