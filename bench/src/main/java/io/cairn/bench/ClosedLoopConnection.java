package io.cairn.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One keep-alive connection with exactly one request in flight: the next request goes out when
 * the previous answer arrives (closed loop), so N connections means N concurrent clients.
 */
final class ClosedLoopConnection extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final LoadGenerator generator;
    private final int id;
    private final String host;
    private final boolean fanOutWriter;
    private long sentAt;
    private long casValue = -1;
    private long watchIndex;

    ClosedLoopConnection(LoadGenerator generator, int id, String host, boolean fanOutWriter) {
        this.generator = generator;
        this.id = id;
        this.host = host;
        this.fanOutWriter = fanOutWriter;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        sendNext(ctx);
    }

    private void sendNext(ChannelHandlerContext ctx) {
        if (!generator.running()) {
            ctx.close();
            return;
        }
        sentAt = System.nanoTime();
        ctx.writeAndFlush(nextRequest());
    }

    private FullHttpRequest nextRequest() {
        LoadSpec spec = generator.spec();
        String keys = "/v2/keys" + spec.prefix();
        long n = spec.sequentialKeys() ? generator.nextSequential() : ThreadLocalRandom.current().nextInt(spec.keys());
        String key = keys + "/k" + n;
        return switch (spec.operation()) {
            case PUT -> Operation.request(HttpMethod.PUT, host, key, "value=" + generator.value());
            case GET -> Operation.request(HttpMethod.GET, host, key, null);
            case QGET -> Operation.request(HttpMethod.GET, host, key + "?quorum=true", null);
            case POST -> Operation.request(HttpMethod.POST, host, keys + "/queue", "value=" + generator.value());
            case CAS -> casValue < 0
                    ? Operation.request(HttpMethod.PUT, host, keys + "/cas/" + id, "value=0")
                    : Operation.request(HttpMethod.PUT, host, keys + "/cas/" + id,
                            "value=" + (casValue + 1) + "&prevValue=" + casValue);
            case WATCH -> fanOutWriter
                    ? Operation.request(HttpMethod.PUT, host, keys + "/fan", "value=" + System.nanoTime())
                    : Operation.request(HttpMethod.GET, host, keys + "/fan?wait=true"
                            + (watchIndex > 0 ? "&waitIndex=" + watchIndex : ""), null);
        };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        long now = System.nanoTime();
        int status = response.status().code();
        Operation op = generator.spec().operation();
        boolean ok = status / 100 == 2 || (op == Operation.GET && status == 404);
        if (op == Operation.CAS && ok) {
            casValue = casValue < 0 ? 0 : casValue + 1;
        } else if (op == Operation.CAS) {
            casValue = -1; // lost track (e.g. a restart): recreate the counter
        }
        if (op == Operation.WATCH && !fanOutWriter) {
            recordWatchEvent(response, status, now);
        } else {
            generator.record(ok, now - sentAt);
        }
        sendNext(ctx);
    }

    /** A watcher measures write-sent to event-received: the writer puts its send time in the value. */
    private void recordWatchEvent(FullHttpResponse response, int status, long now) {
        if (status != 200) {
            watchIndex = 0;
            return;
        }
        String body = response.content().toString(StandardCharsets.UTF_8);
        long modified = Json.longField(body, "modifiedIndex");
        long sent = Json.longField(body, "value");
        if (modified > 0) {
            watchIndex = modified + 1;
        }
        if (sent > 0) {
            generator.record(true, now - sent);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        generator.connectionLost();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        generator.connectionFailed(id, cause);
        ctx.close();
    }
}
