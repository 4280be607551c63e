package io.cairn.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Building and sending responses with the headers every etcd answer carries (spec 1.2b, 1.9). */
final class Responses {
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** The Date header of the current second: formatting it anew cost ~2% of a busy event loop. */
    private static volatile FormattedSecond date = new FormattedSecond(Long.MIN_VALUE, "");

    private record FormattedSecond(long epochSecond, String text) {
    }

    private Responses() {
    }

    static String httpDate(Instant now) {
        FormattedSecond current = date;
        long second = now.getEpochSecond();
        if (current.epochSecond() != second) {
            current = new FormattedSecond(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
            date = current; // racing threads format the same text; either copy is right
        }
        return current.text();
    }

    /** The three CORS headers of the default `--cors=*`, and the Date. */
    static void common(HttpHeaders h) {
        h.set("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE");
        h.set("Access-Control-Allow-Origin", "*");
        h.set("Access-Control-Allow-Headers", "accept, content-type, authorization");
        h.set(HttpHeaderNames.DATE, httpDate(Instant.now()));
    }

    static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        common(r.headers());
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    static FullHttpResponse json(int status, byte[] body) {
        return of(HttpResponseStatus.valueOf(status), JSON, body);
    }

    static FullHttpResponse empty(int status) {
        return of(HttpResponseStatus.valueOf(status), null, new byte[0]);
    }

    /** Go's http.Error: text/plain, nosniff, the message and a newline. */
    static FullHttpResponse goError(int status, String message) {
        FullHttpResponse r = of(HttpResponseStatus.valueOf(status), TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
    }

    static FullHttpResponse notFound() {
        return goError(404, "404 page not found");
    }

    /** 405 with the allowed methods joined by commas without spaces (spec 1.4). */
    static FullHttpResponse methodNotAllowed(String allow) {
        FullHttpResponse r = goError(405, "Method Not Allowed");
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        return r;
    }

    /** 301 to the cleaned path (spec 1.3b); GET and HEAD get Go's small HTML body. */
    static FullHttpResponse movedPermanently(String location, boolean withBody) {
        byte[] body = withBody ? ("<a href=\"" + escapeHtml(location) + "\">Moved Permanently</a>.\n\n")
                .getBytes(StandardCharsets.UTF_8) : new byte[0];
        FullHttpResponse r = of(HttpResponseStatus.MOVED_PERMANENTLY, withBody ? "text/html; charset=utf-8" : null, body);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        return r;
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;");
    }

    /** Sends a full response, keeping the connection when the client asked to. */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponse response, boolean headOnly) {
        if (headOnly && response instanceof FullHttpResponse full) {
            // HEAD: same headers, Content-Length of the body GET would send, no body.
            int length = full.content().readableBytes();
            FullHttpResponse head = full.replace(Unpooled.EMPTY_BUFFER);
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
            full.release();
            response = head;
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
