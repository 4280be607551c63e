package io.cairn.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A scripted etcd v2 endpoint on loopback: answers are chosen per request by path prefix, and every
 * request is recorded (method, raw path and query, body, content type) so tests can assert what a
 * client sent on the wire.
 */
public final class FakeV2Server implements AutoCloseable {
    /** One request as received. */
    public record Request(String method, String pathAndQuery, String body, String contentType) {}

    /** One scripted answer. */
    public record Reply(int status, String body, Map<String, String> headers) {
        public static Reply json(int status, String body) {
            return new Reply(status, body, Map.of("Content-Type", "application/json"));
        }

        public static Reply keys(int status, String body, long etcdIndex) {
            return new Reply(status, body, Map.of("Content-Type", "application/json", "X-Etcd-Index", Long.toString(etcdIndex)));
        }
    }

    private final HttpServer server;
    private final int port;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Request, Reply>> routes = new ConcurrentHashMap<>();

    public FakeV2Server() throws IOException {
        this.port = TestPorts.next();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Answers requests whose path starts with {@code prefix} (longest prefix wins). */
    public FakeV2Server on(String prefix, Function<Request, Reply> answer) {
        routes.put(prefix, answer);
        return this;
    }

    /** Publishes this server as the only member, so etcdctl-style sync keeps talking to it. */
    public FakeV2Server asSingleMember(String id, String name) {
        String member = "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"peerURLs\":[\"http://127.0.0.1:1\"],\"clientURLs\":[\"" + url() + "\"]}";
        on("/v2/members", r -> Reply.json(200, "{\"members\":[" + member + "]}\n"));
        on("/v2/members/leader", r -> Reply.json(200, member + "\n"));
        return this;
    }

    public List<Request> requests() {
        return requests;
    }

    public List<Request> requestsTo(String prefix) {
        return requests.stream().filter(r -> r.pathAndQuery().startsWith(prefix)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String pathAndQuery = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        Request request = new Request(exchange.getRequestMethod(), pathAndQuery, body,
                exchange.getRequestHeaders().getFirst("Content-Type"));
        requests.add(request);
        String path = exchange.getRequestURI().getRawPath();
        Function<Request, Reply> route = routes.entrySet().stream()
                .filter(e -> path.startsWith(e.getKey()))
                .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
                .map(Map.Entry::getValue)
                .orElse(r -> Reply.json(404, "404 page not found\n"));
        Reply reply = route.apply(request);
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
