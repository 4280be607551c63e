package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /v2/keys over real HTTP against a real store (spec sections cited per test). */
class KeysApiTest {
    @TempDir
    Path dir;
    private LocalBackend backend;
    private V2HttpServer server;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        backend = new LocalBackend(dir);
        server = new V2HttpServer(backend, null, 1 << 20, 1);
        base = "http://127.0.0.1:" + server.listen("127.0.0.1", 0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        backend.close();
    }

    private HttpResponse<String> send(String method, String path, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        b.method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void emptyRootListsAsABareDirectory() throws Exception {
        // P1, P2: /v2/keys and /v2/keys/ both address the root; no key, no indexes.
        for (String path : new String[] {"/v2/keys", "/v2/keys/"}) {
            HttpResponse<String> r = send("GET", path, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"action\":\"get\",\"node\":{\"dir\":true}}\n");
            assertThat(header(r, "Content-Type")).isEqualTo("application/json");
            assertThat(header(r, "X-Etcd-Cluster-Id")).isEqualTo("70f1cd662a9a4784");
            assertThat(header(r, "X-Raft-Index")).isNotNull();
            assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo("*");
        }
    }

    @Test
    void setCreatesThenReplaces() throws Exception {
        // P3, P5: 201 on a new key, 200 with prevNode when replacing a file.
        HttpResponse<String> created = send("PUT", "/v2/keys/message", "value=Hello+world");
        assertThat(created.statusCode()).isEqualTo(201);
        long index = Long.parseLong(header(created, "X-Etcd-Index"));
        assertThat(created.body()).isEqualTo("{\"action\":\"set\",\"node\":{\"key\":\"/message\",\"value\":\"Hello world\","
                + "\"modifiedIndex\":" + index + ",\"createdIndex\":" + index + "}}\n");

        HttpResponse<String> replaced = send("PUT", "/v2/keys/message", "value=again");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(replaced.body()).endsWith(",\"prevNode\":{\"key\":\"/message\",\"value\":\"Hello world\",\"modifiedIndex\":"
                + index + ",\"createdIndex\":" + index + "}}\n");

        HttpResponse<String> get = send("GET", "/v2/keys/message", null);
        assertThat(get.body()).contains("\"value\":\"again\"");
    }

    @Test
    void missingKeyIs100WithTheFirstMissingComponent() throws Exception {
        // 2.8a, 10.2: cause is the first missing component; X-Etcd-Index = the error's index; no X-Raft-*.
        HttpResponse<String> r = send("GET", "/v2/keys/nodir/child", null);
        assertThat(r.statusCode()).isEqualTo(404);
        String index = header(r, "X-Etcd-Index");
        assertThat(r.body()).isEqualTo("{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/nodir\",\"index\":"
                + index + "}\n");
        assertThat(header(r, "X-Raft-Index")).isNull();
    }

    @Test
    void parameterErrorsFollowEtcdsOrder() throws Exception {
        // 3.6: prevIndex (203) is checked before recursive (209); parse errors carry index 0 (3.7).
        HttpResponse<String> r = send("GET", "/v2/keys/a?recursive=maybe&prevIndex=abc", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"errorCode\":203,\"message\":\"The given index in POST form is not a number\","
                + "\"cause\":\"invalid value for \\\"prevIndex\\\"\",\"index\":0}\n");
        assertThat(header(r, "X-Etcd-Index")).isEqualTo("0");
        // 17.1: an empty boolean is invalid, not true.
        assertThat(send("GET", "/v2/keys/a?recursive=", null).body()).contains("\"errorCode\":209");
        // 3.5a: wait only with GET.
        assertThat(send("PUT", "/v2/keys/a?wait=true", "value=1").body())
                .contains("\"cause\":\"\\\"wait\\\" can only be used with GET requests\"");
        // 3.5c: refresh needs a TTL.
        assertThat(send("PUT", "/v2/keys/a", "refresh=true").body()).contains("\"errorCode\":212");
        // 3.1d: a malformed escape is 210 with Go's message.
        assertThat(send("PUT", "/v2/keys/a", "value=%zz").body())
                .contains("\"errorCode\":210").contains("invalid URL escape \\\"%zz\\\"");
    }

    @Test
    void prevIndexIsAWholeUint64() throws Exception {
        send("PUT", "/v2/keys/u", "value=1");
        // Beyond Long.MAX_VALUE it still compares (and fails) and the cause prints it unsigned, as Go does.
        HttpResponse<String> big = send("PUT", "/v2/keys/u?prevIndex=18446744073709551615", "value=2");
        assertThat(big.statusCode()).isEqualTo(412);
        assertThat(big.body()).contains("\"cause\":\"[18446744073709551615 != ");
        assertThat(send("DELETE", "/v2/keys/u?prevIndex=9223372036854775808", null).body())
                .contains("\"errorCode\":101").contains("[9223372036854775808 != ");
        // One more is not a uint64; leading zeros are fine (strconv.ParseUint).
        assertThat(send("PUT", "/v2/keys/u?prevIndex=18446744073709551616", "value=2").body()).contains("\"errorCode\":203");
        String index = header(send("GET", "/v2/keys/u", null), "X-Etcd-Index");
        HttpResponse<String> padded = send("PUT", "/v2/keys/u?prevIndex=000000000000000000000000" + index, "value=3");
        assertThat(padded.statusCode()).isEqualTo(200);
        assertThat(padded.body()).startsWith("{\"action\":\"compareAndSwap\"");
        assertThat(send("GET", "/v2/keys/u", null).body()).contains("\"value\":\"3\"");
    }

    @Test
    void bodyWinsOverQueryAndFirstRepeatWins() throws Exception {
        // 3.1c / P8, P171.
        send("PUT", "/v2/keys/b?value=query", "value=body&value=second");
        assertThat(send("GET", "/v2/keys/b", null).body()).contains("\"value\":\"body\"");
    }

    @Test
    void uncleanPathsRedirectWithoutWriting() throws Exception {
        // 1.3b, P113: a 301 to the clean path, query kept, and no write.
        HttpResponse<String> r = send("PUT", "/v2/keys//x?dir=true", "value=1");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(header(r, "Location")).isEqualTo("/v2/keys/x?dir=true");
        assertThat(send("GET", "/v2/keys/x", null).statusCode()).isEqualTo(404);
    }

    @Test
    void methodsOptionsAndUnknownPaths() throws Exception {
        HttpResponse<String> patch = send("PATCH", "/v2/keys/a", null);
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(header(patch, "Allow")).isEqualTo("HEAD,GET,PUT,POST,DELETE");
        assertThat(patch.body()).isEqualTo("Method Not Allowed\n");
        assertThat(header(patch, "X-Etcd-Cluster-Id")).isNull();

        HttpResponse<String> options = send("OPTIONS", "/anything/at/all", null);
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.body()).isEmpty();
        assertThat(header(options, "Access-Control-Allow-Methods")).isEqualTo("POST, GET, OPTIONS, PUT, DELETE");

        HttpResponse<String> unknown = send("GET", "/v2/keysfoo", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("404 page not found\n");
    }

    @Test
    void goJsonEscapingAndNoValueOnSuccess() throws Exception {
        // 1.8 / P120 and 5.9 / P107.
        send("PUT", "/v2/keys/html", "value=%3Ca%26b%3E");
        assertThat(send("GET", "/v2/keys/html", null).body()).contains("\"value\":\"\\u003ca\\u0026b\\u003e\"");
        HttpResponse<String> quiet = send("PUT", "/v2/keys/q?noValueOnSuccess=true", "value=1");
        assertThat(quiet.statusCode()).isEqualTo(201);
        assertThat(quiet.body()).isEqualTo("{\"action\":\"set\"}\n");
    }

    @Test
    void headHasGetsHeadersWithoutBody() throws Exception {
        // 4.3 / P102.
        send("PUT", "/v2/keys/h", "value=12345");
        HttpResponse<String> get = send("GET", "/v2/keys/h", null);
        HttpResponse<String> head = send("HEAD", "/v2/keys/h", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(get.body().length()));
    }

    @Test
    void watchWaitsForTheNextChange() throws Exception {
        // 9.2, 9.6, 9.7: headers at registration, then the event.
        CompletableFuture<HttpResponse<String>> watch = http.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "/v2/keys/w?wait=true")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.store().stats().watchers() == 1);
        HttpResponse<String> set = send("PUT", "/v2/keys/w", "value=seen");
        HttpResponse<String> event = watch.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(event.body()).isEqualTo(set.body());
        assertThat(Long.parseLong(header(event, "X-Etcd-Index"))).isLessThan(Long.parseLong(header(set, "X-Etcd-Index")));
    }

    @Test
    void watchFromHistoryAnswersAtOnce() throws Exception {
        // 9.3b / P85.
        HttpResponse<String> first = send("PUT", "/v2/keys/hist", "value=1");
        send("PUT", "/v2/keys/hist", "value=2");
        HttpResponse<String> r = send("GET", "/v2/keys/hist?wait=true&waitIndex=" + header(first, "X-Etcd-Index"), null);
        assertThat(r.body()).isEqualTo(first.body());
    }

    @Test
    void vanishingWatchersAreReleased() throws Exception {
        // Bad input: many parked watches whose clients go away cost nothing afterwards.
        int port = URI.create(base).getPort();
        var sockets = new java.util.ArrayList<java.net.Socket>();
        for (int i = 0; i < 200; i++) {
            java.net.Socket s = new java.net.Socket("127.0.0.1", port);
            s.getOutputStream().write("GET /v2/keys/many?wait=true HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sockets.add(s);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.store().stats().watchers() == 200);
        for (java.net.Socket s : sockets) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.store().stats().watchers() == 0);
    }

    @Test
    void consensusTimeoutIs300() throws Exception {
        // 11.4: 500 / 300 / "etcdserver: request timed out" / index 0.
        backend.stalled = true;
        HttpResponse<String> r = send("PUT", "/v2/keys/t", "value=1");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"errorCode\":300,\"message\":\"Raft Internal Error\","
                + "\"cause\":\"etcdserver: request timed out\",\"index\":0}\n");
        assertThat(send("GET", "/v2/keys/t?quorum=true", null).statusCode()).isEqualTo(500);
        // Local reads still work without consensus (12.3).
        assertThat(send("GET", "/v2/keys/", null).statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedFormBodiesAre210() throws Exception {
        // 3.1d / P179 (the test server's limit is 1 MiB).
        HttpResponse<String> r = send("PUT", "/v2/keys/big", "value=" + "x".repeat(2 << 20));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"errorCode\":210").contains("http: POST too large");
        assertThat(send("GET", "/v2/keys/big", null).statusCode()).isEqualTo(404);
    }
}
