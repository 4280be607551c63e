package io.cairn.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.cairn.kv.ErrorCode;
import io.cairn.kv.EtcdException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The etcd v2 client API on Netty: HTTP/1.1 with keep-alive on a small event loop (epoll where
 * available). No thread per request or per watch: long polls are parked and completed from the
 * store's watch notifications.
 */
public final class V2HttpServer implements AutoCloseable {
    /** etcd's v2 form body limit (spec 12.5). */
    public static final int DEFAULT_MAX_BODY_BYTES = 10 << 20;

    private final ClusterBackend backend;
    private final PrometheusMeterRegistry metrics;
    private final int maxBodyBytes;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private final List<Channel> listeners = new ArrayList<>();

    public V2HttpServer(ClusterBackend backend, PrometheusMeterRegistry metrics, int maxBodyBytes, int threads) {
        this.backend = backend;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        if (Epoll.isAvailable()) {
            this.group = new EpollEventLoopGroup(threads);
            this.channelType = EpollServerSocketChannel.class;
        } else {
            this.group = new NioEventLoopGroup(threads);
            this.channelType = NioServerSocketChannel.class;
        }
    }

    /** Starts listening; returns the bound address (port 0 picks a free one). */
    public InetSocketAddress listen(String host, int port) throws InterruptedException {
        V2Router router = new V2Router(backend, metrics);
        Channel channel = new ServerBootstrap().group(group).channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(8192, 65536, 8192),
                                new BodyLimit(maxBodyBytes), new V2Handler(router));
                    }
                })
                .bind(host, port).sync().channel();
        listeners.add(channel);
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Aggregates bodies up to the limit; a larger body is etcd's 210 "http: POST too large" (spec 3.1d). */
    private static final class BodyLimit extends HttpObjectAggregator {
        private static final long OVERSIZED_LINGER_SECONDS = 5;

        BodyLimit(int max) {
            super(max, true);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            EtcdException e = new EtcdException(ErrorCode.INVALID_FORM, "http: POST too large", 0);
            var response = Responses.json(e.httpStatus(), V2Json.error(e));
            response.headers().set("X-Etcd-Index", "0");
            HttpUtil.setKeepAlive(response, false);
            // Closing at once, with the rest of the body still arriving, makes the kernel reset the
            // connection, and a client still sending may lose the answer. So the answer is followed
            // by a half-close; the aggregator discards the rest of the body until the client closes
            // too, or the linger runs out.
            ctx.writeAndFlush(response).addListener(written -> {
                if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
                    duplex.shutdownOutput();
                    ctx.executor().schedule(() -> ctx.close(), OVERSIZED_LINGER_SECONDS, TimeUnit.SECONDS);
                } else {
                    ctx.close();
                }
            });
        }
    }
}
