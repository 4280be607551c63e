package io.cairn.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile and broken input over every endpoint, against etcd 3.4 and Cairn alike: every answer is etcd's answer or
 * a clear 4xx (never a 5xx, never a hang), the member stays up, and the stored data under {@code /bad} is exactly
 * what it was (compared with a recursive sorted GET before and after).
 */
class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");
    private static final Map<Flavor, MemberProcess> members = new EnumMap<>(Flavor.class);

    @TempDir
    static Path dir;

    private static MemberProcess member(Flavor flavor) throws IOException {
        assumeTrue(Flavor.etcdInstalled(), "skipped: /usr/bin/etcd and /usr/bin/etcdctl are not installed");
        assumeTrue(flavor.servesHttp(), Flavor.NOT_WIRED);
        MemberProcess member = members.get(flavor);
        if (member == null) {
            int port = CompatPorts.block(5 + flavor.ordinal());
            member = MemberProcess.member(flavor, dir.resolve(flavor.name()), 0, new int[] {port},
                    new int[] {port + 1}).start().awaitServing(Duration.ofSeconds(60)).awaitWritable(TIMEOUT);
            members.put(flavor, member);
            for (String form : List.of("value=one", "value=two")) {
                send(member, "PUT", "/v2/keys/bad/" + form.substring(6), form);
            }
            send(member, "PUT", "/v2/keys/bad/dir/child", "value=three");
            send(member, "PUT", "/v2/keys/bad/ttl?ttl=3600", "value=four");
        }
        return member;
    }

    @AfterAll
    static void stopMembers() {
        members.values().forEach(MemberProcess::stop);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN", "CAIRN_LOCAL"})
    void badNumbersBooleansAndMethodsOnEveryEndpoint(Flavor flavor) throws IOException {
        MemberProcess member = member(flavor);
        String before = storedData(member);
        List<String[]> requests = new ArrayList<>();
        for (String parameter : List.of("ttl", "prevIndex", "waitIndex", "dir", "prevExist", "recursive", "sorted",
                "wait", "quorum", "stream", "refresh", "noValueOnSuccess")) {
            for (String value : List.of("", "-1", "1e3", "0x1", "99999999999999999999999", "%00", "tru", "%E2%88%9E")) {
                if (parameter.equals("ttl") && value.isEmpty()) {
                    continue; // "ttl=" is valid: it means "no TTL"
                }
                requests.add(new String[] {"PUT", "/v2/keys/bad/one?value=x&" + parameter + "=" + value});
                requests.add(new String[] {"DELETE", "/v2/keys/bad/two?prevValue=zz&" + parameter + "=" + value});
                requests.add(new String[] {"POST", "/v2/keys/bad/dir?dir=maybe&" + parameter + "=" + value});
            }
        }
        for (String path : List.of("/v2/keys/bad/one", "/v2/members", "/v2/members/leader", "/v2/machines",
                "/v2/stats/self", "/v2/stats/store", "/v2/stats/leader", "/version", "/health", "/metrics",
                "/v2/auth/enable", "/nowhere")) {
            for (String method : List.of("PATCH", "CONNECT", "BREW", "TRACE", "get")) {
                requests.add(new String[] {method, path});
            }
            requests.add(new String[] {"GET", path + "?waitIndex=x&recursive=maybe&%zz"});
        }
        for (String[] request : requests) {
            RawHttp.Response response = RawHttp.exchange(member.clientPort(), request[0], request[1], Map.of(), null,
                    TIMEOUT);
            assertThat(response.status()).as("%s %s -> %s", request[0], request[1], response.text())
                    .isBetween(200, 499);
        }
        assertThat(storedData(member)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN", "CAIRN_LOCAL"})
    void malformedJsonAndUrlsOnMembers(Flavor flavor) throws IOException {
        MemberProcess member = member(flavor);
        String before = storedData(member);
        for (String body : List.of("", "{", "[]", "null", "{\"peerURLs\":\"http://x:1\"}", "{\"peerURLs\":[1,2]}",
                "{\"peerURLs\":[\"http://127.0.0.1\"]}", "{\"peerURLs\":[\"::::\"]}", "\u0000\u0001",
                "{\"peerURLs\":[\"" + "a".repeat(100_000) + "\"]}")) {
            for (String method : List.of("POST", "PUT")) {
                String target = method.equals("POST") ? "/v2/members" : "/v2/members/1234";
                RawHttp.Response response = RawHttp.exchange(member.clientPort(), method, target,
                        Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
                assertThat(response.status()).as("%s %s", method, body).isBetween(400, 499);
            }
        }
        assertThat(RawHttp.exchange(member.clientPort(), "GET", "/v2/members", Map.of(), null, TIMEOUT).text())
                .contains("\"members\":[{");
        assertThat(storedData(member)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN", "CAIRN_LOCAL"})
    void oversizedFormBodyIsRefusedWith210(Flavor flavor) throws IOException {
        MemberProcess member = member(flavor);
        String before = storedData(member);
        byte[] body = new byte[10 * 1024 * 1024 + 16];
        Arrays.fill(body, (byte) 'a');
        System.arraycopy("value=".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 6);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", member.clientPort()));
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            Map<String, String> headers = Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Connection", "keep-alive");
            out.write(RawHttp.requestHead("PUT", "/v2/keys/bad/one", headers, body)
                    .getBytes(StandardCharsets.ISO_8859_1));
            // the body goes out from another thread: the server may answer (and stop reading) before it is all sent
            Thread writer = new Thread(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException closedEarly) {
                    // expected when the server closes the connection after refusing the body
                }
            }, "oversized-body-writer");
            writer.setDaemon(true);
            writer.start();
            // etcd 3.4.23 answers and then leaves a keep-alive connection open (observed), so closing is not required
            RawHttp.Response response = RawHttp.readHead(socket, false).readBody(Integer.MAX_VALUE);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.text()).contains("\"errorCode\":210").contains("http: POST too large");
        }
        assertThat(storedData(member)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN", "CAIRN_LOCAL"})
    void oddEncodingsAndBrokenRequestLines(Flavor flavor) throws IOException {
        MemberProcess member = member(flavor);
        String before = storedData(member);
        List<String> raw = List.of(
                "GET /v2/keys/bad/one HTTP/1.0\r\n\r\n",
                "GET /v2/keys/bad/one HTTP/1.1\r\n\r\n", // no Host header
                "GET /v2/keys/bad/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v2/keys/bad/one HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET\r\n\r\n",
                "GET /v2/keys/bad/one HTTP/1.1\r\nHost: x\r\nno-colon-header\r\n\r\n",
                "PUT /v2/keys/bad/one HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "PUT /v2/keys/bad/one HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "PUT /v2/keys/bad/one HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\nvalue=x\r\n0\r\n\r\n",
                "PUT /v2/keys/bad/one HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded; "
                        + "charset=nonsense-7\r\nContent-Length: 7\r\n\r\nvalue=%");
        for (String request : raw) {
            String response = exchangeRaw(member, request.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(response).as(request).doesNotStartWith("HTTP/1.1 5").doesNotStartWith("HTTP/1.0 5");
        }
        for (String target : List.of("/v2/keys/bad/%FF%FE", "/v2/keys/bad/%00", "/v2/keys/bad/%", "/v2/keys/%2e%2e/x",
                "/v2/keys/bad/one?%", "/v2/keys/bad/one?value=%C0%80", "/v2/keys/" + "%2F".repeat(50))) {
            RawHttp.Response response = RawHttp.exchange(member.clientPort(), "GET", target, Map.of(), null, TIMEOUT);
            assertThat(response.status()).as(target).isBetween(200, 499);
        }
        assertThat(storedData(member)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN", "CAIRN_LOCAL"})
    void deepAndLongPathsAreServed(Flavor flavor) throws IOException {
        MemberProcess member = member(flavor);
        String before = storedData(member);
        String deep = "/v2/keys/deep" + "/d".repeat(500);
        RawHttp.Response set = send(member, "PUT", deep, "value=bottom");
        assertThat(set.status()).isEqualTo(201);
        assertThat(RawHttp.exchange(member.clientPort(), "GET", deep, Map.of(), null, TIMEOUT).text())
                .contains("\"value\":\"bottom\"");
        try {
            RawHttp.Response longName = send(member, "PUT", "/v2/keys/long/" + "n".repeat(8000), "value=v");
            assertThat(longName.status()).isBetween(200, 499);
        } catch (java.net.SocketException dropped) {
            // etcd drops a connection whose request line is this long without answering; refusing it is fine
        }
        assertThat(send(member, "GET", "/v2/keys/deep", null).status()).isEqualTo(200); // still serving
        assertThat(send(member, "DELETE", "/v2/keys/deep?recursive=true", null).status()).isEqualTo(200);
        assertThat(storedData(member)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN", "CAIRN_LOCAL"})
    void slowAndVanishingClientsChangeNothing(Flavor flavor) throws Exception {
        MemberProcess member = member(flavor);
        String before = storedData(member);
        // vanishing: a write whose body never completes must not be applied
        for (int cut : List.of(5, 20, 40)) {
            byte[] request = ("PUT /v2/keys/bad/one HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
                    + "urlencoded\r\nContent-Length: 100\r\n\r\nvalue=vanished").getBytes(StandardCharsets.US_ASCII);
            try (Socket socket = new Socket("127.0.0.1", member.clientPort())) {
                socket.getOutputStream().write(request, 0, request.length - cut);
                socket.getOutputStream().flush();
            }
        }
        // a watcher that disconnects before anything happens
        try (Socket socket = new Socket("127.0.0.1", member.clientPort())) {
            socket.getOutputStream().write("GET /v2/keys/bad/one?wait=true HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        }
        // slow: a request trickled out in small pieces is still answered correctly
        byte[] slow = "GET /v2/keys/bad/one HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", member.clientPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < slow.length; i += 8) {
                out.write(slow, i, Math.min(8, slow.length - i));
                out.flush();
                Thread.sleep(50); // pacing a slow client, not synchronisation
            }
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("HTTP/1.1 200").contains("\"key\":\"/bad/one\"");
        }
        assertThat(storedData(member)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN", "CAIRN_LOCAL"})
    void thousandsOfParkedWatchesAreReleasedOnDisconnect(Flavor flavor) throws IOException {
        MemberProcess member = member(flavor);
        String before = storedData(member);
        long watchersBefore = watchers(member);
        List<RawHttp.Pending> parked = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                RawHttp.Pending watch = RawHttp.open(member.clientPort(), "GET",
                        "/v2/keys/bad/watched" + (i % 10) + "?wait=true", Map.of(), null, TIMEOUT);
                assertThat(watch).isNotNull();
                parked.add(watch);
            }
            assertThat(watchers(member)).isGreaterThanOrEqualTo(watchersBefore + 2000);
        } finally {
            for (RawHttp.Pending watch : parked) {
                watch.close();
            }
        }
        await("watchers released").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> watchers(member) <= watchersBefore);
        // still serving: a new watch gets the next write
        RawHttp.Pending watch = RawHttp.open(member.clientPort(), "GET", "/v2/keys/bad/watched0?wait=true", Map.of(),
                null, TIMEOUT);
        send(member, "PUT", "/v2/keys/bad/watched0", "value=fired");
        assertThat(watch.finish(1).text()).contains("\"value\":\"fired\"");
        send(member, "DELETE", "/v2/keys/bad/watched0", null);
        assertThat(withoutIndexes(storedData(member))).isEqualTo(withoutIndexes(before));
    }

    private static long watchers(MemberProcess member) throws IOException {
        return JSON.readTree(RawHttp.exchange(member.clientPort(), "GET", "/v2/stats/store", Map.of(), null, TIMEOUT)
                .body()).path("watchers").asLong();
    }

    /** The /bad sub-tree as a recursive sorted listing, expirations and ttl left out (they move with time). */
    private static String storedData(MemberProcess member) throws IOException {
        RawHttp.Response response = RawHttp.exchange(member.clientPort(), "GET",
                "/v2/keys/bad?recursive=true&sorted=true", Map.of(), null, TIMEOUT);
        assertThat(response.status()).isEqualTo(200);
        JsonNode node = JSON.readTree(response.body()).path("node");
        return stripTimes(node).toString();
    }

    private static JsonNode stripTimes(JsonNode node) {
        if (node.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove(List.of("expiration", "ttl"));
        }
        node.forEach(BadInputTest::stripTimes);
        return node;
    }

    private static String withoutIndexes(String json) {
        return json.replaceAll("\"(modifiedIndex|createdIndex)\":\\d+", "");
    }

    private static RawHttp.Response send(MemberProcess member, String method, String target, String form)
            throws IOException {
        return RawHttp.exchange(member.clientPort(), method, target, form == null ? Map.of() : FORM,
                form == null ? null : form.getBytes(StandardCharsets.UTF_8), TIMEOUT);
    }

    private static String exchangeRaw(MemberProcess member, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", member.clientPort())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            byte[] head = socket.getInputStream().readNBytes(12);
            return new String(head, StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketTimeoutException e) {
            return "(no answer within 3 s: the server waits for more input)";
        }
    }
}
