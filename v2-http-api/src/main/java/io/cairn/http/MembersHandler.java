package io.cairn.http;

import io.cairn.kv.Member;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** {@code /v2/members} (spec 13): list, leader, add, remove, update peer URLs. */
final class MembersHandler {
    private final ClusterBackend backend;

    MembersHandler(ClusterBackend backend) {
        this.backend = backend;
    }

    void handle(Exchange ex, String rest) {
        String sub = rest.startsWith("/") ? rest.substring(1) : rest;
        if (!(ex.method.equals(HttpMethod.GET) || ex.method.equals(HttpMethod.POST) || ex.method.equals(HttpMethod.DELETE)
                || ex.method.equals(HttpMethod.PUT))) {
            ex.respond(Responses.methodNotAllowed("GET,POST,DELETE,PUT"));
            return;
        }
        if (ex.method.equals(HttpMethod.GET)) {
            get(ex, sub);
        } else if (ex.method.equals(HttpMethod.POST)) {
            add(ex, sub);
        } else if (sub.isEmpty()) {
            // etcd's own http.Error for a missing member id: a 405 without an Allow header (spec 13.6a, P164)
            ex.respond(withCluster(Responses.goError(405, "Method Not Allowed")));
        } else {
            change(ex, sub);
        }
    }

    private void get(Exchange ex, String sub) {
        if (sub.isEmpty()) {
            ex.respond(withCluster(Responses.json(200, MemberJson.list(backend.store().members()))));
        } else if (sub.equals("leader")) {
            long leader = backend.leaderId();
            Optional<Member> m = leader == 0 ? Optional.empty() : backend.store().member(leader);
            ex.respond(withCluster(m.isPresent() ? Responses.json(200, MemberJson.one(m.get()))
                    : Responses.json(503, V2Json.message("During election"))));
        } else {
            ex.respond(withCluster(Responses.json(404, V2Json.message("Not found"))));
        }
    }

    private void add(Exchange ex, String sub) {
        if (!sub.isEmpty()) {
            ex.respond(withCluster(Responses.json(404, V2Json.message("Not found"))));
            return;
        }
        try {
            checkContentType(ex);
            var urls = PeerUrls.parse(ex.body);
            answer(ex, backend.addMember(urls), m -> Responses.json(201, MemberJson.one(m)));
        } catch (MembershipException e) {
            ex.respond(failure(e));
        }
    }

    private void change(Exchange ex, String sub) {
        long id;
        try {
            id = Long.parseUnsignedLong(sub, 16);
        } catch (NumberFormatException e) {
            ex.respond(failure(MembershipException.noSuchMember(sub)));
            return;
        }
        try {
            if (ex.method.equals(HttpMethod.DELETE)) {
                answer(ex, backend.removeMember(id), v -> Responses.empty(204));
            } else {
                checkContentType(ex);
                answer(ex, backend.updateMember(id, PeerUrls.parse(ex.body)), v -> Responses.empty(204));
            }
        } catch (MembershipException e) {
            ex.respond(failure(e));
        }
    }

    /** application/json, compared exactly, or case-insensitively before a ';' (spec 13.5a). */
    private static void checkContentType(Exchange ex) {
        String type = ex.contentType == null ? "" : ex.contentType;
        boolean ok = type.contains(";") ? type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/json")
                : type.equals("application/json");
        if (!ok) {
            throw new MembershipException(415, "Bad Content-Type " + type + ", accept application/json");
        }
    }

    private <T> void answer(Exchange ex, CompletableFuture<T> change, java.util.function.Function<T, FullHttpResponse> ok) {
        change.orTimeout(backend.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            if (failure == null) {
                ex.respondLater(withCluster(ok.apply(value)));
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            ex.respondLater(failure(cause instanceof MembershipException m ? m : MembershipException.internal()));
        });
    }

    private FullHttpResponse failure(MembershipException e) {
        return withCluster(Responses.json(e.status(), V2Json.message(e.getMessage())));
    }

    private FullHttpResponse withCluster(FullHttpResponse r) {
        r.headers().set("X-Etcd-Cluster-Id", Long.toHexString(backend.clusterId()));
        return r;
    }
}
