package io.cairn.server.ctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * etcd's v2 Go client, as etcdctl uses it, over {@code java.net.http}: a list of endpoints tried in
 * turn (a 5xx or a network error moves on to the next one), optional sync of the endpoint list
 * from the members' advertised client URLs, a per-request timeout and a whole-command deadline.
 */
public final class V2Client {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Optional<Instant> deadline;
    private final Random shuffle;
    private final PrintStream curlDebug;
    private List<URI> endpoints;
    private int pinned;

    /**
     * @param deadline end of the whole command ({@code --total-timeout}); empty for watches
     * @param curlDebug where {@code --debug} prints equivalent curl commands, or null
     */
    public V2Client(HttpClient http, List<URI> endpoints, Duration requestTimeout, Optional<Instant> deadline,
            Random shuffle, PrintStream curlDebug) {
        this.http = http;
        this.endpoints = List.copyOf(endpoints);
        this.requestTimeout = requestTimeout;
        this.deadline = deadline;
        this.shuffle = shuffle;
        this.curlDebug = curlDebug;
    }

    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // etcd's v2 API is HTTP/1.1; no h2c upgrade attempts
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    /** Replaces the endpoints with the members' client URLs, as etcdctl does unless {@code --no-sync}. */
    public void sync() throws ClientException {
        List<String> urls = new ArrayList<>();
        for (Member m : listMembers()) {
            urls.addAll(m.clientUrls());
        }
        if (urls.isEmpty()) {
            throw new NoEndpointsException();
        }
        List<URI> synced = new ArrayList<>(urls.stream().sorted().map(URI::create).toList());
        Collections.shuffle(synced, shuffle);
        endpoints = List.copyOf(synced);
        pinned = 0;
    }

    public KeysResponse keys(KeysRequest request) throws ClientException {
        String body = GoText.encodeForm(request.form());
        Exchange exchange = send(request.method(), request.pathAndQuery(), body, "application/x-www-form-urlencoded",
                request.oneShot(), request.watch());
        return parseKeys(exchange);
    }

    public List<Member> listMembers() throws ClientException {
        Exchange exchange = send("GET", "/v2/members", "", null, false, false);
        expectStatus(exchange, 200);
        List<Member> members = new ArrayList<>();
        for (JsonNode m : readJson(exchange.body()).path("members")) {
            members.add(member(m));
        }
        return members;
    }

    public Member leader() throws ClientException {
        Exchange exchange = send("GET", "/v2/members/leader", "", null, false, false);
        expectStatus(exchange, 200);
        return member(readJson(exchange.body()));
    }

    public Member addMember(String peerUrl) throws ClientException {
        String body = "{\"peerURLs\":[" + jsonString(peerUrl) + "]}";
        Exchange exchange = send("POST", "/v2/members", body, "application/json", false, false);
        if (exchange.status() == 409) {
            throw membersError(exchange);
        }
        expectStatus(exchange, 201);
        return member(readJson(exchange.body()));
    }

    public void removeMember(String id) throws ClientException {
        Exchange exchange = send("DELETE", "/v2/members/" + GoText.escapePath(id), "", null, false, false);
        if (exchange.status() != 204 && exchange.status() != 410) {
            throw new ClientException("unexpected status code " + exchange.status());
        }
    }

    public void updateMember(String id, List<String> peerUrls) throws ClientException {
        StringBuilder body = new StringBuilder("{\"peerURLs\":[");
        for (int i = 0; i < peerUrls.size(); i++) {
            body.append(i == 0 ? "" : ",").append(jsonString(peerUrls.get(i)));
        }
        body.append("]}");
        Exchange exchange = send("PUT", "/v2/members/" + GoText.escapePath(id), body.toString(), "application/json", false, false);
        if (exchange.status() == 404 || exchange.status() == 409) {
            throw membersError(exchange);
        }
        expectStatus(exchange, 204);
    }

    /** The raw answer of one endpoint. */
    public record Exchange(int status, Map<String, List<String>> headers, byte[] body) {}

    private Exchange send(String method, String pathAndQuery, String body, String contentType, boolean oneShot, boolean watch)
            throws ClientException {
        List<String> causes = new ArrayList<>();
        boolean allConnectionFailures = true;
        int count = endpoints.size();
        for (int i = pinned; i < pinned + count; i++) {
            int k = i % count;
            URI endpoint = endpoints.get(k);
            String cause;
            try {
                Exchange exchange = exchange(endpoint, method, pathAndQuery, body, contentType, watch);
                if (exchange.status() / 100 != 5) {
                    pinned = k;
                    return exchange;
                }
                allConnectionFailures = false;
                cause = exchange.status() == 500 || exchange.status() == 503
                        ? "client: etcd member " + endpoint + " has no leader"
                        : "client: etcd member " + endpoint + " returns server error [" + statusText(exchange.status()) + "]";
            } catch (IOException e) {
                cause = GoText.networkError(endpoint, e);
                allConnectionFailures &= GoText.isConnectionFailure(e);
            }
            if (oneShot) {
                throw new ClientException(cause);
            }
            causes.add(cause);
            if (deadlinePassed()) {
                throw new ClientException("context deadline exceeded");
            }
        }
        throw new ClusterError(causes, allConnectionFailures);
    }

    private Exchange exchange(URI endpoint, String method, String pathAndQuery, String body, String contentType, boolean watch)
            throws IOException, ClientException {
        URI uri = URI.create(stripTrailingSlash(endpoint.toString()) + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("User-Agent", "Go-http-client/1.1");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        } else if (!method.equals("GET")) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        } else if (pathAndQuery.startsWith("/v2/keys")) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (!watch) {
            request.timeout(timeoutForNextRequest());
        }
        if (curlDebug != null) {
            curlDebug.println("cURL Command: curl -X " + method + " " + uri + (body.isEmpty() ? "" : " -d " + goQuote(body)));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Exchange(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("context canceled");
        }
    }

    private Duration timeoutForNextRequest() throws ClientException {
        if (deadline.isEmpty()) {
            return requestTimeout;
        }
        Duration left = Duration.between(Instant.now(), deadline.get());
        if (left.isNegative() || left.isZero()) {
            throw new ClientException("context deadline exceeded");
        }
        return left.compareTo(requestTimeout) < 0 ? left : requestTimeout;
    }

    private boolean deadlinePassed() {
        return deadline.isPresent() && !Instant.now().isBefore(deadline.get());
    }

    private static KeysResponse parseKeys(Exchange exchange) throws ClientException {
        int status = exchange.status();
        if (status == 200 || status == 201) {
            if (exchange.body().length == 0) {
                throw new EmptyBodyException();
            }
            JsonNode root = readJson(exchange.body());
            long index = exchange.headers().entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase("X-Etcd-Index") && !e.getValue().isEmpty())
                    .map(e -> Long.parseUnsignedLong(e.getValue().get(0).strip()))
                    .findFirst().orElse(0L);
            return new KeysResponse(root.path("action").asText(""), node(root.get("node")), node(root.get("prevNode")), index);
        }
        JsonNode error = readJson(exchange.body());
        return throwEtcdError(error);
    }

    private static KeysResponse throwEtcdError(JsonNode error) throws EtcdError {
        throw new EtcdError(error.path("errorCode").asInt(0), error.path("message").asText(""),
                error.path("cause").asText(""), error.path("index").asLong(0));
    }

    private static Node node(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        List<Node> children = null;
        if (n.has("nodes") && n.get("nodes").isArray()) {
            children = new ArrayList<>();
            for (JsonNode child : n.get("nodes")) {
                children.add(node(child));
            }
        }
        return new Node(n.path("key").asText(""), n.path("dir").asBoolean(false), n.path("value").asText(""), children,
                n.path("createdIndex").asLong(0), n.path("modifiedIndex").asLong(0),
                n.hasNonNull("expiration") ? n.get("expiration").asText() : null, n.path("ttl").asLong(0));
    }

    private static Member member(JsonNode m) {
        List<String> peers = new ArrayList<>();
        m.path("peerURLs").forEach(u -> peers.add(u.asText()));
        List<String> clients = new ArrayList<>();
        m.path("clientURLs").forEach(u -> clients.add(u.asText()));
        return new Member(m.path("id").asText(""), m.path("name").asText(""), peers, clients);
    }

    private static ClientException membersError(Exchange exchange) throws ClientException {
        return new ClientException(readJson(exchange.body()).path("message").asText(""));
    }

    private static void expectStatus(Exchange exchange, int expected) throws ClientException {
        if (exchange.status() != expected) {
            throw new ClientException("unexpected status code " + exchange.status());
        }
    }

    private static JsonNode readJson(byte[] body) throws ClientException {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new ClientException("unexpected end of JSON input");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ClientException("invalid JSON in response: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ClientException(e.getMessage());
        }
    }

    private static String jsonString(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String goQuote(String s) {
        return jsonString(s);
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String statusText(int status) {
        return switch (status) {
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Internal Server Error";
        };
    }

    /** A 200/201 without a body: the watcher simply asks again. */
    public static final class EmptyBodyException extends ClientException {
        public EmptyBodyException() {
            super("client: response body is empty");
        }
    }

    /** Sync found members but none of them publishes a client URL. */
    public static final class NoEndpointsException extends ClientException {
        public NoEndpointsException() {
            super("client: no endpoints available");
        }
    }
}
