package io.cairn.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * One request being answered: the channel, the method, the raw query and body (copied out of the
 * request buffer, which is released when routing returns).
 */
final class Exchange {
    final ChannelHandlerContext ctx;
    final HttpMethod method;
    final String rawPath;
    final String rawQuery;
    final String contentType;
    final byte[] body;
    final boolean keepAlive;

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        this.ctx = ctx;
        this.method = request.method();
        String uri = request.uri();
        int q = uri.indexOf('?');
        this.rawPath = q < 0 ? uri : uri.substring(0, q);
        this.rawQuery = q < 0 ? null : uri.substring(q + 1);
        this.contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        this.body = ByteBufUtil.getBytes(request.content());
        this.keepAlive = keepAlive;
    }

    boolean isHead() {
        return method.equals(HttpMethod.HEAD);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    void respond(HttpResponse response) {
        Responses.send(ctx, keepAlive, response, isHead());
    }

    /** Answers from any thread: the write happens on the channel's event loop. */
    void respondLater(HttpResponse response) {
        if (ctx.executor().inEventLoop()) {
            respond(response);
        } else {
            ctx.executor().execute(() -> respond(response));
        }
    }
}
