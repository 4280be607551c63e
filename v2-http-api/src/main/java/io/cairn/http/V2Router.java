package io.cairn.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Routes like Go's ServeMux in front of etcd's handlers (spec 1.2, 1.3): OPTIONS answered
 * anywhere with CORS only; the decoded path must be clean or the answer is a 301 to the clean
 * path and nothing is done; unknown paths are 404.
 */
final class V2Router {
    private final KeysHandler keys;
    private final MembersHandler members;
    private final InfoHandlers info;

    V2Router(ClusterBackend backend, PrometheusMeterRegistry metrics) {
        this.keys = new KeysHandler(backend);
        this.members = new MembersHandler(backend);
        this.info = new InfoHandlers(backend, metrics);
    }

    void route(Exchange ex) {
        if (ex.method.equals(HttpMethod.OPTIONS)) {
            ex.respond(Responses.empty(200));
            return;
        }
        String path;
        try {
            path = FormParser.unescapePath(ex.rawPath);
        } catch (FormParser.BadFormException e) {
            ex.respond(Responses.goError(400, "400 Bad Request"));
            return;
        }
        String clean = cleanPath(path);
        if (!clean.equals(path)) {
            boolean body = ex.method.equals(HttpMethod.GET) || ex.isHead();
            ex.respond(Responses.movedPermanently(clean + (ex.rawQuery == null ? "" : "?" + ex.rawQuery), body));
            return;
        }
        if (path.equals("/v2/keys") || path.startsWith("/v2/keys/")) {
            keys.handle(ex, path.substring("/v2/keys".length()));
        } else if (path.equals("/v2/members") || path.startsWith("/v2/members/")) {
            members.handle(ex, path.substring("/v2/members".length()));
        } else if (path.equals("/v3")) {
            // etcd registers the "/v3/" sub-tree (gRPC gateway), so Go's ServeMux redirects "/v3" to it
            boolean body = ex.method.equals(HttpMethod.GET) || ex.isHead();
            ex.respond(Responses.movedPermanently("/v3/" + (ex.rawQuery == null ? "" : "?" + ex.rawQuery), body));
        } else {
            info.handle(ex, path);
        }
    }

    /** Go's path.Clean, keeping one trailing slash (ServeMux's cleanPath). */
    static String cleanPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        String[] parts = p.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(part);
            }
        }
        String clean = "/" + String.join("/", out);
        if (p.endsWith("/") && !clean.equals("/")) {
            clean += "/";
        }
        return clean;
    }
}
