package io.cairn.server.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.server.ctl.CairnCtlMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tutorial's session (seed/tutorial.txt), step by step, against a {@link LocalCluster}: set
 * {@code msg}, read it from every member (curl and etcdctl), cluster-health healthy, one leader in
 * member list, kill -9 the leader, cluster-health degraded with exit 5, reads and writes continue
 * (the write shows prevNode), restart the member, healthy again with the new value, leader changed.
 */
final class TutorialScenario {
    // generous: three JVMs start at once on a small, shared machine
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Pattern MEMBER_LINE = Pattern.compile(
            "([0-9a-f]+): name=(etcd-\\d) peerURLs=(\\S+) clientURLs=(\\S+) isLeader=(true|false)");

    private final LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    TutorialScenario(LocalCluster cluster) {
        this.cluster = cluster;
    }

    record Ctl(int exitCode, String out, String err) {}

    static Ctl ctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CairnCtlMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Map.of(), new Random());
        return new Ctl(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> curl(String method, String url, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (form == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(form));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String setBody(String value, long index) {
        return "{\"action\":\"set\",\"node\":{\"key\":\"/msg\",\"value\":\"" + value + "\",\"modifiedIndex\":" + index
                + ",\"createdIndex\":" + index + "}";
    }

    void run() throws Exception {
        cluster.startAll();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> ctl("--endpoints", cluster.clientUrl(0), "cluster-health").exitCode() == 0);

        // set msg
        HttpResponse<String> set = curl("PUT", cluster.clientUrl(0) + "/v2/keys/msg", "value=hello-world");
        assertThat(set.statusCode()).isEqualTo(201);
        Matcher created = Pattern.compile("\"modifiedIndex\":(\\d+)").matcher(set.body());
        assertThat(created.find()).isTrue();
        long index = Long.parseLong(created.group(1));
        assertThat(set.body()).isEqualTo(setBody("hello-world", index) + "}\n");

        // get msg from every member, over HTTP and with etcdctl (reads are local: wait for apply)
        for (int i = 0; i < 3; i++) {
            String url = cluster.clientUrl(i) + "/v2/keys/msg";
            await().atMost(PATIENCE).until(() -> curl("GET", url, null).statusCode() == 200);
            assertThat(curl("GET", url, null).body()).isEqualTo(
                    "{\"action\":\"get\",\"node\":{\"key\":\"/msg\",\"value\":\"hello-world\",\"modifiedIndex\":" + index
                    + ",\"createdIndex\":" + index + "}}\n");
            assertThat(ctl("--endpoints", cluster.clientUrl(i), "--no-sync", "get", "msg")).isEqualTo(new Ctl(0, "hello-world\n", ""));
        }

        // cluster-health: healthy
        Ctl health = ctl("--endpoints", cluster.clientUrl(0), "cluster-health");
        assertThat(health.exitCode()).isZero();
        List<String> lines = health.out().lines().toList();
        assertThat(lines).hasSize(4).last().isEqualTo("cluster is healthy");
        assertThat(lines.subList(0, 3)).allMatch(l -> l.matches("member [0-9a-f]+ is healthy: got healthy result from http://127\\.0\\.0\\.1:\\d+"));

        // member list: exactly one leader
        Map<String, String> leaderBefore = leader(0);
        String leaderId = leaderBefore.get("id");
        int leaderIndex = cluster.indexOfName(leaderBefore.get("name"));
        String leaderUrl = cluster.clientUrl(leaderIndex);
        int survivor = (leaderIndex + 1) % 3;

        // kill -9 the leader
        cluster.kill9(leaderIndex);
        // right after the kill the survivors may still be electing (then: "unavailable"); wait for the new leader
        Ctl[] health2 = new Ctl[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            health2[0] = ctl("--endpoints", cluster.clientUrl(survivor), "cluster-health");
            return health2[0].out().endsWith("cluster is degraded\n");
        });
        Ctl degraded = health2[0];
        assertThat(degraded.exitCode()).isEqualTo(5);
        assertThat(degraded.out()).contains(
                "failed to check the health of member " + leaderId + " on " + leaderUrl + ": Get \"" + leaderUrl
                        + "/health\": dial tcp 127.0.0.1:" + cluster.clientPort(leaderIndex) + ": connect: connection refused\n"
                        + "member " + leaderId + " is unreachable: [" + leaderUrl + "] are all unreachable\n");
        assertThat(degraded.out()).endsWith("cluster is degraded\n");

        // reads and writes continue (the write needs the new leader: retry while the election runs)
        assertThat(curl("GET", cluster.clientUrl(survivor) + "/v2/keys/msg", null).body()).contains("\"value\":\"hello-world\"");
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] again = new HttpResponse[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            again[0] = curl("PUT", cluster.clientUrl(survivor) + "/v2/keys/msg", "value=hello-again");
            return again[0].statusCode() == 200;
        });
        String body = again[0].body();
        assertThat(body).startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/msg\",\"value\":\"hello-again\",\"modifiedIndex\":");
        assertThat(body).endsWith(",\"prevNode\":{\"key\":\"/msg\",\"value\":\"hello-world\",\"modifiedIndex\":" + index
                + ",\"createdIndex\":" + index + "}}\n");

        // restart the member: healthy again, with the new value, under a new leader
        cluster.start(leaderIndex);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> ctl("--endpoints", cluster.clientUrl(survivor), "cluster-health").exitCode() == 0);
        await().atMost(PATIENCE).until(() -> curl("GET", leaderUrl + "/v2/keys/msg", null).body().contains("\"value\":\"hello-again\""));
        assertThat(leader(survivor).get("id")).isNotEqualTo(leaderId);
    }

    /** Parses {@code member list}; asserts three started members and exactly one leader. */
    private Map<String, String> leader(int via) {
        Ctl list = ctl("--endpoints", cluster.clientUrl(via), "member", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        List<Matcher> members = list.out().lines().map(MEMBER_LINE::matcher).filter(Matcher::matches).toList();
        assertThat(members).as(list.out()).hasSize(3);
        List<Matcher> leaders = members.stream().filter(m -> m.group(5).equals("true")).toList();
        assertThat(leaders).as(list.out()).hasSize(1);
        return Map.of("id", leaders.get(0).group(1), "name", leaders.get(0).group(2));
    }
}
