package io.cairn.jepsen.nemesis.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One direction of a proxied connection: a reader thread that applies the link's behaviour to
 * each chunk it reads and stamps when it may leave, and a writer thread that releases the chunks
 * in order once due. The queue between them is bounded, so a slow side pushes back through TCP
 * flow control instead of filling memory.
 */
final class Pump {
    private static final int CHUNK_BYTES = 16 * 1024;
    /** At most 4 MiB held per direction. */
    private static final int MAX_QUEUED_CHUNKS = 256;
    private static final byte[] END = new byte[0];

    /** How a pump ended. */
    interface Listener {
        /** {@code clean}: the source closed its side and everything read was written. */
        void finished(Pump pump, boolean clean);
    }

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private final String name;
    private final Socket from;
    private final Socket to;
    private final Supplier<LinkBehaviour> behaviour;
    private final Random random;
    private final AtomicLong damagedChunks;
    private final Listener listener;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(MAX_QUEUED_CHUNKS);
    private final Thread reader;
    private final Thread writer;

    Pump(String name, Socket from, Socket to, Supplier<LinkBehaviour> behaviour, Random random,
         AtomicLong damagedChunks, Listener listener) {
        this.name = name;
        this.from = from;
        this.to = to;
        this.behaviour = behaviour;
        this.random = random;
        this.damagedChunks = damagedChunks;
        this.listener = listener;
        this.reader = new Thread(this::read, name + "-read");
        this.writer = new Thread(this::write, name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        reader.start();
        writer.start();
    }

    /** Stops both threads (the caller has closed the sockets) and waits for them, bounded. */
    void stop() throws InterruptedException {
        reader.interrupt();
        writer.interrupt();
        if (Thread.currentThread() != reader) {
            reader.join(5_000);
        }
        if (Thread.currentThread() != writer) {
            writer.join(5_000);
        }
    }

    boolean isStopped() {
        return !reader.isAlive() && !writer.isAlive();
    }

    private void read() {
        byte[] buffer = new byte[CHUNK_BYTES];
        long lastDue = 0;
        try {
            InputStream in = from.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                LinkBehaviour now = behaviour.get();
                byte[] kept = now.damages(random) ? withoutSlice(buffer, n) : Arrays.copyOf(buffer, n);
                // never before the chunk read earlier: a link delays, it does not reorder
                long due = Math.max(System.nanoTime() + now.holdNanos(random), lastDue);
                lastDue = due;
                if (kept.length > 0) {
                    queue.put(new Chunk(kept, due));
                }
            }
            queue.put(new Chunk(END, lastDue));
        } catch (IOException e) {
            listener.finished(this, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The chunk with a random slice cut out of it (possibly all of it). */
    private byte[] withoutSlice(byte[] buffer, int length) {
        damagedChunks.incrementAndGet();
        int start = random.nextInt(length);
        int cut = 1 + random.nextInt(length - start);
        byte[] kept = new byte[length - cut];
        System.arraycopy(buffer, 0, kept, 0, start);
        System.arraycopy(buffer, start + cut, kept, start, length - start - cut);
        return kept;
    }

    private void write() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = queue.take();
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (chunk.bytes() == END) {
                    to.shutdownOutput();
                    listener.finished(this, true);
                    return;
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException e) {
            listener.finished(this, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
