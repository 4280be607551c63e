package io.cairn.http;

import io.cairn.kv.Member;
import io.cairn.kv.StoreStats;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The small endpoints (spec 14): /version, /health, /v2/machines, /v2/stats/*, /metrics, the
 * auth-disabled answers, and Cairn's probes /livez and /readyz (this member only).
 */
final class InfoHandlers {
    static final String SERVER_VERSION = "3.4.23";
    private static final Duration HEALTH_READ_TIMEOUT = Duration.ofSeconds(1);

    private final ClusterBackend backend;
    private final PrometheusMeterRegistry metrics;

    InfoHandlers(ClusterBackend backend, PrometheusMeterRegistry metrics) {
        this.backend = backend;
        this.metrics = metrics;
    }

    void handle(Exchange ex, String path) {
        switch (path) {
            case "/version" -> onlyGet(ex, () -> ex.respond(Responses.json(200, GoJson.render(json -> {
                json.writeStartObject();
                json.writeStringField("etcdserver", SERVER_VERSION);
                json.writeStringField("etcdcluster", backend.store().clusterVersion().orElse("not_decided"));
                json.writeEndObject();
            }, false))));
            case "/health" -> onlyGet(ex, () -> health(ex));
            case "/livez" -> onlyGet(ex, () -> ex.respond(Responses.of(io.netty.handler.codec.http.HttpResponseStatus.OK,
                    Responses.TEXT, "ok\n".getBytes(StandardCharsets.UTF_8))));
            case "/readyz" -> onlyGet(ex, () -> ex.respond(backend.isReady()
                    ? Responses.of(io.netty.handler.codec.http.HttpResponseStatus.OK, Responses.TEXT, "ok\n".getBytes(StandardCharsets.UTF_8))
                    : Responses.goError(503, "not ready: no leader known or the store is catching up")));
            case "/v2/machines" -> getOrHead(ex, () -> ex.respond(machines()));
            case "/v2/stats/self" -> onlyGet(ex, () -> ex.respond(Responses.json(200, selfStats())));
            case "/v2/stats/leader" -> onlyGet(ex, () -> ex.respond(leaderStats()));
            case "/v2/stats/store" -> onlyGet(ex, () -> ex.respond(Responses.json(200, storeStats())));
            case "/metrics" -> onlyGet(ex, () -> ex.respond(Responses.of(io.netty.handler.codec.http.HttpResponseStatus.OK,
                    "text/plain; version=0.0.4; charset=utf-8",
                    (metrics == null ? "" : metrics.scrape()).getBytes(StandardCharsets.UTF_8))));
            case "/v2/auth/enable" -> onlyGet(ex, () -> ex.respond(withCluster(Responses.json(200,
                    "{\"enabled\":false}\n".getBytes(StandardCharsets.UTF_8)))));
            case "/v2/auth/users" -> onlyGet(ex, () -> ex.respond(withCluster(Responses.json(200,
                    "{\"users\":null}\n".getBytes(StandardCharsets.UTF_8)))));
            case "/v2/auth/roles" -> onlyGet(ex, () -> ex.respond(withCluster(Responses.json(200, ("{\"roles\":[{\"role\":"
                    + "\"root\",\"permissions\":{\"kv\":{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}]}\n")
                    .getBytes(StandardCharsets.UTF_8)))));
            default -> ex.respond(Responses.notFound());
        }
    }

    private static void onlyGet(Exchange ex, Runnable handler) {
        if (ex.method.equals(HttpMethod.GET)) {
            handler.run();
        } else {
            ex.respond(Responses.methodNotAllowed("GET"));
        }
    }

    private static void getOrHead(Exchange ex, Runnable handler) {
        if (ex.method.equals(HttpMethod.GET) || ex.isHead()) {
            handler.run();
        } else {
            ex.respond(Responses.methodNotAllowed("GET,HEAD"));
        }
    }

    /** Healthy: a leader is known and a linearizable read completes within a second (spec 14.6). */
    private void health(Exchange ex) {
        if (backend.leaderId() == 0) {
            ex.respond(unhealthy());
            return;
        }
        backend.readBarrier().orTimeout(HEALTH_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, failure) ->
                ex.respondLater(failure == null ? Responses.of(io.netty.handler.codec.http.HttpResponseStatus.OK,
                        Responses.TEXT, "{\"health\":\"true\"}".getBytes(StandardCharsets.UTF_8)) : unhealthy()));
    }

    private static FullHttpResponse unhealthy() {
        return Responses.goError(503, "{\"health\":\"false\"}");
    }

    private FullHttpResponse machines() {
        List<String> urls = new ArrayList<>();
        for (Member m : backend.store().members()) {
            urls.addAll(m.clientUrls());
        }
        urls.sort(String::compareTo);
        return Responses.of(io.netty.handler.codec.http.HttpResponseStatus.OK, Responses.TEXT,
                String.join(", ", urls).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] selfStats() {
        long leader = backend.leaderId();
        String state = leader == 0 ? "StateCandidate" : leader == backend.memberId() ? "StateLeader" : "StateFollower";
        return GoJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("name", backend.name());
            json.writeStringField("id", Long.toHexString(backend.memberId()));
            json.writeStringField("state", state);
            json.writeStringField("startTime", V2Json.expiration(backend.startTime()));
            json.writeObjectFieldStart("leaderInfo");
            json.writeStringField("leader", Long.toHexString(leader));
            json.writeStringField("uptime", GoDuration.format(Duration.between(backend.leaderSince(), Instant.now())));
            json.writeStringField("startTime", V2Json.expiration(backend.leaderSince()));
            json.writeEndObject();
            json.writeNumberField("recvAppendRequestCnt", backend.recvAppendRequests());
            json.writeNumberField("sendAppendRequestCnt", backend.sendAppendRequests());
            json.writeEndObject();
        }, false);
    }

    private FullHttpResponse leaderStats() {
        Map<Long, ClusterBackend.FollowerStats> followers = backend.followerStats();
        if (followers == null) {
            return Responses.json(403, V2Json.message("not current leader"));
        }
        return Responses.json(200, GoJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("leader", Long.toHexString(backend.memberId()));
            json.writeObjectFieldStart("followers");
            for (Map.Entry<Long, ClusterBackend.FollowerStats> f : followers.entrySet()) {
                ClusterBackend.FollowerStats s = f.getValue();
                json.writeObjectFieldStart(Long.toHexString(f.getKey()));
                json.writeObjectFieldStart("latency");
                json.writeNumberField("current", s.latencyCurrentMs());
                json.writeNumberField("average", s.latencyAverageMs());
                json.writeNumberField("standardDeviation", s.latencyStdDevMs());
                json.writeNumberField("minimum", s.latencyMinMs());
                json.writeNumberField("maximum", s.latencyMaxMs());
                json.writeEndObject();
                json.writeObjectFieldStart("counts");
                json.writeNumberField("fail", s.failures());
                json.writeNumberField("success", s.successes());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }, false));
    }

    private byte[] storeStats() {
        StoreStats s = backend.store().stats();
        return GoJson.render(json -> {
            json.writeStartObject();
            json.writeNumberField("getsSuccess", s.getsSuccess());
            json.writeNumberField("getsFail", s.getsFail());
            json.writeNumberField("setsSuccess", s.setsSuccess());
            json.writeNumberField("setsFail", s.setsFail());
            json.writeNumberField("deleteSuccess", s.deleteSuccess());
            json.writeNumberField("deleteFail", s.deleteFail());
            json.writeNumberField("updateSuccess", s.updateSuccess());
            json.writeNumberField("updateFail", s.updateFail());
            json.writeNumberField("createSuccess", s.createSuccess());
            json.writeNumberField("createFail", s.createFail());
            json.writeNumberField("compareAndSwapSuccess", s.compareAndSwapSuccess());
            json.writeNumberField("compareAndSwapFail", s.compareAndSwapFail());
            json.writeNumberField("compareAndDeleteSuccess", s.compareAndDeleteSuccess());
            json.writeNumberField("compareAndDeleteFail", s.compareAndDeleteFail());
            json.writeNumberField("expireCount", s.expireCount());
            json.writeNumberField("watchers", s.watchers());
            json.writeEndObject();
        }, false);
    }

    /** etcd's v2 auth handlers set X-Etcd-Cluster-Id like the members handler does (observed on 3.4.23). */
    private io.netty.handler.codec.http.FullHttpResponse withCluster(io.netty.handler.codec.http.FullHttpResponse r) {
        r.headers().set("X-Etcd-Cluster-Id", Long.toHexString(backend.clusterId()));
        return r;
    }
}
