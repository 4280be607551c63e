package io.cairn.http;

import io.cairn.kv.EtcdException;
import io.cairn.kv.Event;
import io.netty.handler.codec.http.FullHttpResponse;

/** Keys API answers with etcd's headers (spec 10.1, 10.2). */
final class KeysAnswers {
    private final ClusterBackend backend;

    KeysAnswers(ClusterBackend backend) {
        this.backend = backend;
    }

    /** A success: cluster id, the event's etcd index, the raft index and term now. */
    FullHttpResponse success(Event event, boolean actionOnly) {
        FullHttpResponse r = Responses.json(event.httpStatus(), actionOnly ? V2Json.actionOnly(event) : V2Json.event(event));
        r.headers().set("X-Etcd-Cluster-Id", Long.toHexString(backend.clusterId()));
        r.headers().set("X-Etcd-Index", Long.toString(event.etcdIndex()));
        r.headers().set("X-Raft-Index", Long.toString(backend.raftIndex()));
        r.headers().set("X-Raft-Term", Long.toString(backend.raftTerm()));
        return r;
    }

    /** A v2 error: the cluster id and X-Etcd-Index = the error's index, never X-Raft-*. */
    FullHttpResponse error(EtcdException e) {
        FullHttpResponse r = Responses.json(e.httpStatus(), V2Json.error(e));
        r.headers().set("X-Etcd-Cluster-Id", Long.toHexString(backend.clusterId()));
        r.headers().set("X-Etcd-Index", Long.toString(e.index()));
        return r;
    }
}
