package io.cairn.jepsen.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A minimal etcd v2 keys client for the harness: no retries, no redirects, explicit timeouts,
 * and every failure classified as "not sent" or "uncertain". It works against etcd and Cairn.
 */
public final class V2Client {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration readTimeout;
    private final Duration writeTimeout;

    public V2Client(Duration connectTimeout, Duration readTimeout, Duration writeTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
    }

    /** GET /v2/keys/key with query parameters. */
    public V2Response get(URI endpoint, String key, Map<String, String> query) throws NoAnswerException {
        return send(HttpRequest.newBuilder(uri(endpoint, key, query)).timeout(readTimeout).GET().build());
    }

    /** GET with a caller-chosen timeout (long-poll watches). */
    public V2Response get(URI endpoint, String key, Map<String, String> query, Duration timeout) throws NoAnswerException {
        return send(HttpRequest.newBuilder(uri(endpoint, key, query)).timeout(timeout).GET().build());
    }

    /** PUT with form parameters. */
    public V2Response put(URI endpoint, String key, Map<String, String> form) throws NoAnswerException {
        return send(formRequest(endpoint, key, Map.of()).timeout(writeTimeout)
                .PUT(HttpRequest.BodyPublishers.ofString(encode(form))).build());
    }

    /** POST with form parameters (in-order keys). */
    public V2Response post(URI endpoint, String key, Map<String, String> form) throws NoAnswerException {
        return send(formRequest(endpoint, key, Map.of()).timeout(writeTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
    }

    /** DELETE with query parameters. */
    public V2Response delete(URI endpoint, String key, Map<String, String> query) throws NoAnswerException {
        return send(HttpRequest.newBuilder(uri(endpoint, key, query)).timeout(writeTimeout).DELETE().build());
    }

    /** GET of an arbitrary path (stats, members). */
    public V2Response getPath(URI endpoint, String path) throws NoAnswerException {
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).timeout(readTimeout).GET().build());
    }

    private static HttpRequest.Builder formRequest(URI endpoint, String key, Map<String, String> query) {
        return HttpRequest.newBuilder(uri(endpoint, key, query))
                .header("Content-Type", "application/x-www-form-urlencoded");
    }

    private V2Response send(HttpRequest request) throws NoAnswerException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new NoAnswerException(RequestOutcome.NOT_SENT, "connection refused", e);
        } catch (HttpTimeoutException e) {
            if (e instanceof java.net.http.HttpConnectTimeoutException) {
                throw new NoAnswerException(RequestOutcome.NOT_SENT, "connect timeout", e);
            }
            throw new NoAnswerException(RequestOutcome.UNCERTAIN, "timeout", e);
        } catch (IOException e) {
            throw new NoAnswerException(RequestOutcome.UNCERTAIN, "io: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswerException(RequestOutcome.UNCERTAIN, "interrupted", e);
        }
        if (response.statusCode() >= 500) {
            throw new NoAnswerException(RequestOutcome.UNCERTAIN, "http " + response.statusCode() + " "
                    + response.body().strip(), null);
        }
        long index = response.headers().firstValueAsLong("X-Etcd-Index").orElse(-1);
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = MissingNode.getInstance();
        }
        return new V2Response(response.statusCode(), index, body == null ? MissingNode.getInstance() : body);
    }

    private static URI uri(URI endpoint, String key, Map<String, String> query) {
        StringBuilder path = new StringBuilder("/v2/keys");
        for (String segment : key.split("/")) {
            if (!segment.isEmpty()) {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        String q = encode(query);
        return endpoint.resolve(path + (q.isEmpty() ? "" : "?" + q));
    }

    private static String encode(Map<String, String> params) {
        StringJoiner out = new StringJoiner("&");
        params.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }
}
