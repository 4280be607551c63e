package io.cairn.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives one operation over N closed-loop connections spread over the endpoints, on a small
 * Netty event loop (non-blocking: the client is never the bottleneck), and reports throughput
 * and latency percentiles. A warm-up period is run and discarded first.
 */
public final class LoadGenerator {
    private final LoadSpec spec;
    private final String value;
    private final int clientThreads;
    private final Recorder latencies = new Recorder(3);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    /** Connections that failed to open or closed; a connection is not replaced. */
    private final AtomicInteger lost = new AtomicInteger();
    private volatile boolean running = true;

    public LoadGenerator(LoadSpec spec, int clientThreads) {
        this.spec = spec;
        this.clientThreads = clientThreads;
        this.value = "v".repeat(spec.valueSize());
    }

    LoadSpec spec() {
        return spec;
    }

    String value() {
        return value;
    }

    long nextSequential() {
        return sequence.getAndIncrement() % spec.keys();
    }

    boolean running() {
        return running;
    }

    void record(boolean ok, long nanos) {
        latencies.recordValue(Math.max(1, nanos / 1000));
        completed.incrementAndGet();
        if (!ok) {
            errors.incrementAndGet();
        }
    }

    void connectionFailed(int id, Throwable cause) {
        errors.incrementAndGet();
    }

    void connectionLost() {
        lost.incrementAndGet();
    }

    /** Whether every connection is gone, so nothing more can complete. */
    private boolean allConnectionsLost() {
        return lost.get() >= spec.connections();
    }

    public LoadResult run(String server, String target, ProgressListener progress) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(clientThreads);
        try {
            for (int i = 0; i < spec.connections(); i++) {
                connect(group, i);
            }
            sleepWhileReporting(spec.warmup().toMillis(), progress, "warm-up");
            latencies.reset();
            long startCount = completed.get();
            long startErrors = errors.get();
            long start = System.nanoTime();
            if (spec.requests() > 0) {
                while (completed.get() - startCount < spec.requests() && !allConnectionsLost()) {
                    sleepWhileReporting(200, progress, "run");
                }
            } else {
                sleepWhileReporting(spec.duration().toMillis(), progress, "run");
            }
            running = false;
            double seconds = (System.nanoTime() - start) / 1e9;
            Histogram h = latencies.getIntervalHistogram();
            long n = h.getTotalCount();
            return new LoadResult(server, spec.operation().name().toLowerCase(java.util.Locale.ROOT), target,
                    spec.connections(), spec.valueSize(), n, errors.get() - startErrors, seconds, n / seconds,
                    h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue());
        } finally {
            running = false;
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private void connect(EventLoopGroup group, int id) {
        URI endpoint = spec.endpoints().get(id % spec.endpoints().size());
        String host = endpoint.getHost() + ":" + endpoint.getPort();
        boolean writer = spec.operation() == Operation.WATCH && id == 0;
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 << 20),
                                new ClosedLoopConnection(LoadGenerator.this, id, host, writer));
                    }
                })
                .connect(endpoint.getHost(), endpoint.getPort())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        connectionFailed(id, f.cause());
                        connectionLost();
                    }
                });
    }

    private void sleepWhileReporting(long millis, ProgressListener progress, String phase) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        long last = completed.get();
        while (System.currentTimeMillis() < end && !allConnectionsLost()) {
            Thread.sleep(Math.min(1000, Math.max(1, end - System.currentTimeMillis())));
            long now = completed.get();
            progress.onProgress(phase, now - last, errors.get());
            last = now;
        }
    }

    /** Receives a line's worth of progress about once a second. */
    public interface ProgressListener {
        void onProgress(String phase, long completedInInterval, long errorsSoFar);
    }
}
