package io.cairn.bench;

import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.V2Client;
import io.cairn.jepsen.client.V2Response;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cost of parked long-poll watchers on one member: opens N connections that each wait on
 * {@code ?wait=true}, waits until the member counts them all (v2 store stats), then reads the
 * member's extra resident memory and threads; finally one write must wake every watcher.
 */
final class ParkedWatchers {
    private static final String KEY = "/v2/keys/bench/parked";
    private static final int CONNECTS_IN_FLIGHT = 256;

    /** What N parked watchers cost, and how long one event took to reach them all. */
    record Result(long extraMib, long extraThreads, long notifiedMillis, int notified) {
    }

    private ParkedWatchers() {
    }

    static Result measure(URI member, long pid, int count) throws InterruptedException {
        V2Client client = new V2Client(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
        long baseWatchers = watchers(client, member);
        long rssBefore = Rss.mib(pid);
        long threadsBefore = Rss.threads(pid);
        AtomicInteger notified = new AtomicInteger();
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            open(group, member, count, notified);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (watchers(client, member) < baseWatchers + count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + (watchers(client, member) - baseWatchers) + " of " + count
                            + " watchers parked within 2 minutes");
                }
                Thread.sleep(200);
            }
            long extraMib = Rss.mib(pid) - rssBefore;
            long extraThreads = Rss.threads(pid) - threadsBefore;
            long written = System.nanoTime();
            try {
                client.put(member, "/bench/parked", Map.of("value", "wake"));
            } catch (NoAnswerException e) {
                throw new IllegalStateException("the waking write got no answer", e);
            }
            long wakeDeadline = written + TimeUnit.SECONDS.toNanos(60);
            while (notified.get() < count && System.nanoTime() < wakeDeadline) {
                Thread.sleep(5);
            }
            return new Result(extraMib, extraThreads, (System.nanoTime() - written) / 1_000_000, notified.get());
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
        }
    }

    /** Connects at most a few hundred at a time, so the member's accept backlog never overflows. */
    private static void open(EventLoopGroup group, URI member, int count, AtomicInteger notified)
            throws InterruptedException {
        String host = member.getHost() + ":" + member.getPort();
        Semaphore connecting = new Semaphore(CONNECTS_IN_FLIGHT);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new Waiter(host, notified));
                    }
                });
        for (int i = 0; i < count; i++) {
            connecting.acquire();
            ChannelFuture f = bootstrap.connect(member.getHost(), member.getPort());
            f.addListener(done -> connecting.release());
        }
        connecting.acquire(CONNECTS_IN_FLIGHT);
    }

    private static long watchers(V2Client client, URI member) {
        try {
            V2Response r = client.getPath(member, "/v2/stats/store");
            return r.body().path("watchers").asLong();
        } catch (NoAnswerException e) {
            return -1;
        }
    }

    /** Sends one waiting GET when connected and counts the answer (the event). */
    private static final class Waiter extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String host;
        private final AtomicInteger notified;

        Waiter(String host, AtomicInteger notified) {
            this.host = host;
            this.notified = notified;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Operation.request(HttpMethod.GET, host, KEY + "?wait=true", null));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.status().code() == 200) {
                notified.incrementAndGet();
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
