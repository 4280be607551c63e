package io.cairn.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The v2 requests the load generator can send. All speak plain etcd v2, so etcd and Cairn both serve them. */
public enum Operation {
    /** PUT of a random key. */
    PUT,
    /** Serializable GET of a random key (served locally). */
    GET,
    /** GET with quorum=true (linearizable). */
    QGET,
    /** Compare-and-swap on the connection's own counter key (always succeeds: no contention). */
    CAS,
    /** POST of an in-order key into one queue. */
    POST,
    /** A long-poll watch on the fan-out key, resumed at the last index + 1. */
    WATCH;

    public static Operation parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Whether a 2xx answer is the only success (a watch may also time out and be re-armed). */
    boolean isWrite() {
        return this == PUT || this == CAS || this == POST;
    }

    static FullHttpRequest request(HttpMethod method, String host, String uri, String form) {
        FullHttpRequest req;
        if (form == null) {
            req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
        } else {
            byte[] body = form.getBytes(StandardCharsets.US_ASCII);
            req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                    ByteBufAllocator.DEFAULT.buffer(body.length).writeBytes(body));
            req.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED);
        }
        req.headers().set(HttpHeaderNames.HOST, host);
        req.headers().set(HttpHeaderNames.CONTENT_LENGTH, req.content().readableBytes());
        req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        return req;
    }
}
