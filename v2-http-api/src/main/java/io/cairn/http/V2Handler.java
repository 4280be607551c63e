package io.cairn.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One per connection: hands each aggregated request to the router; never lets an error kill the server. */
final class V2Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(V2Handler.class);
    private final V2Router router;

    V2Handler(V2Router router) {
        super(false);
        this.router = router;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            if (!request.decoderResult().isSuccess()) {
                Responses.send(ctx, false, Responses.goError(400, "400 Bad Request"), false);
                return;
            }
            router.route(new Exchange(ctx, request, HttpUtil.isKeepAlive(request)));
        } catch (RuntimeException e) {
            LOG.warn("request {} {} failed", request.method(), request.uri(), e);
            Responses.send(ctx, false, Responses.json(500, V2Json.message("Internal Server Error")), false);
        } finally {
            request.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.debug("connection error", cause);
        }
        ctx.close();
    }
}
