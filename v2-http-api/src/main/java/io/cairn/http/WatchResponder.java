package io.cairn.http;

import io.cairn.kv.EtcdException;
import io.cairn.kv.Event;
import io.cairn.kv.WatchHandle;
import io.cairn.kv.WatchListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Long-poll watches (spec 9) without a thread each: the watch is registered with the store, the
 * headers go out at once (chunked), and the store's notification writes the event on the
 * connection's event loop. A one-shot watch ends after its event; a stream keeps going; a client
 * that goes away cancels its watch.
 */
final class WatchResponder {
    private final ClusterBackend backend;
    private final KeysAnswers answers;

    WatchResponder(ClusterBackend backend, KeysAnswers answers) {
        this.backend = backend;
        this.answers = answers;
    }

    void watch(Exchange ex, String key, KeysParams params) {
        ParkedWatch parked = new ParkedWatch(ex, params.stream());
        WatchHandle handle;
        try {
            handle = backend.store().watch(key, params.recursive(), params.stream(), params.waitIndex(), parked);
        } catch (EtcdException e) {
            ex.respond(answers.error(e));
            return;
        }
        parked.start(handle, headers(handle.etcdIndex()));
    }

    private HttpResponse headers(long etcdIndex) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        Responses.common(r.headers());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
        r.headers().set("X-Etcd-Cluster-Id", Long.toHexString(backend.clusterId()));
        r.headers().set("X-Etcd-Index", Long.toString(etcdIndex));
        r.headers().set("X-Raft-Index", Long.toString(backend.raftIndex()));
        r.headers().set("X-Raft-Term", Long.toString(backend.raftTerm()));
        HttpUtil.setTransferEncodingChunked(r, true);
        return r;
    }

    /** One parked watch: the bridge from the store's dispatch thread to the connection's event loop. */
    private static final class ParkedWatch implements WatchListener {
        private final Exchange ex;
        private final boolean stream;
        private boolean finished;

        ParkedWatch(Exchange ex, boolean stream) {
            this.ex = ex;
            this.stream = stream;
        }

        void start(WatchHandle handle, HttpResponse headers) {
            HttpUtil.setKeepAlive(headers, ex.keepAlive);
            ex.ctx.writeAndFlush(headers);
            ex.ctx.channel().closeFuture().addListener(f -> handle.cancel());
        }

        @Override
        public void onEvent(Event event) {
            byte[] json = V2Json.event(event);
            ex.ctx.executor().execute(() -> {
                if (finished || !ex.ctx.channel().isActive()) {
                    return;
                }
                ex.ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(json)));
                if (stream) {
                    ex.ctx.flush();
                } else {
                    end();
                }
            });
        }

        @Override
        public void onClose(CloseReason reason) {
            // etcd's "200 with an empty body": the client retries (spec 9.9).
            ex.ctx.executor().execute(this::end);
        }

        private void end() {
            if (finished) {
                return;
            }
            finished = true;
            var written = ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!ex.keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
