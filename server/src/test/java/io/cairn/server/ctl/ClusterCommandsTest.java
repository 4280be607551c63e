package io.cairn.server.ctl;

import static io.cairn.server.testing.FakeV2Server.Reply.json;
import static io.cairn.server.testing.FakeV2Server.Reply.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.server.testing.FakeV2Server;
import io.cairn.server.testing.FakeV2Server.Reply;
import io.cairn.server.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster-health, member and watch commands against scripted endpoints. */
class ClusterCommandsTest {

    private static String member(String id, String name, String peer, String client) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"peerURLs\":[\"" + peer + "\"],\"clientURLs\":["
                + (client == null ? "" : "\"" + client + "\"") + "]}";
    }

    @Test
    void clusterHealthIsHealthyWhenEveryMemberSaysSo() throws Exception {
        try (FakeV2Server a = new FakeV2Server(); FakeV2Server b = new FakeV2Server()) {
            String members = "{\"members\":[" + member("2e80f96756a54ca9", "etcd-0", "http://127.0.0.1:1", a.url()) + ","
                    + member("7fd61f3f79d97779", "etcd-1", "http://127.0.0.1:2", b.url()) + "]}";
            a.on("/v2/members", r -> json(200, members)).on("/health", r -> json(200, "{\"health\":\"true\"}"));
            b.on("/health", r -> json(200, "{\"health\":true}"));
            CtlRun run = CtlRun.of("--endpoints=" + a.url(), "cluster-health");
            assertThat(run).isEqualTo(new CtlRun(0,
                    "member 2e80f96756a54ca9 is healthy: got healthy result from " + a.url() + "\n"
                    + "member 7fd61f3f79d97779 is healthy: got healthy result from " + b.url() + "\n"
                    + "cluster is healthy\n", ""));
        }
    }

    @Test
    void clusterHealthIsDegradedAndExits5WhenAMemberIsDown() throws Exception {
        try (FakeV2Server alive = new FakeV2Server()) {
            int deadPort = TestPorts.next();
            String dead = "http://127.0.0.1:" + deadPort;
            String members = "{\"members\":[" + member("2e80f96756a54ca9", "etcd-0", "http://127.0.0.1:1", dead) + ","
                    + member("7fd61f3f79d97779", "etcd-1", "http://127.0.0.1:2", alive.url()) + ","
                    + member("b429c86e3cd4e077", "", "http://127.0.0.1:3", null) + "]}";
            alive.on("/v2/members", r -> json(200, members)).on("/health", r -> json(503, "{\"health\":\"false\"}\n"));
            CtlRun run = CtlRun.of("--endpoints=" + alive.url(), "cluster-health");
            assertThat(run).isEqualTo(new CtlRun(5,
                    "failed to check the health of member 2e80f96756a54ca9 on " + dead + ": Get \"" + dead + "/health\": dial tcp 127.0.0.1:"
                    + deadPort + ": connect: connection refused\n"
                    + "member 2e80f96756a54ca9 is unreachable: [" + dead + "] are all unreachable\n"
                    + "member 7fd61f3f79d97779 is unhealthy: got unhealthy result from " + alive.url() + "\n"
                    + "member b429c86e3cd4e077 is unreachable: no available published client urls\n"
                    + "cluster is unavailable\n", ""));
            alive.on("/health", r -> json(200, "{\"health\":\"true\"}"));
            CtlRun degraded = CtlRun.of("--endpoints=" + alive.url(), "cluster-health");
            assertThat(degraded.exitCode()).isEqualTo(5);
            assertThat(degraded.out()).endsWith("cluster is degraded\n");
            assertThat(alive.requestsTo("/v2/members")).hasSize(2); // listed once per run, never synced
        }
    }

    @Test
    void memberListMarksTheLeaderAndUnstartedMembers() throws Exception {
        try (FakeV2Server etcd = new FakeV2Server()) {
            String leader = member("7fd61f3f79d97779", "etcd-1", "http://etcd-1.etcd:2380", etcd.url());
            etcd.on("/v2/members", r -> json(200, "{\"members\":[" + member("2e80f96756a54ca9", "etcd-0", "http://etcd-0.etcd:2380", etcd.url())
                    + "," + leader + "," + member("d6a1cdb4cbeea0b8", "", "http://127.0.0.1:25390", null) + "]}"));
            etcd.on("/v2/members/leader", r -> json(200, leader));
            assertThat(CtlRun.of("--endpoints=" + etcd.url(), "member", "list")).isEqualTo(new CtlRun(0,
                    "2e80f96756a54ca9: name=etcd-0 peerURLs=http://etcd-0.etcd:2380 clientURLs=" + etcd.url() + " isLeader=false\n"
                    + "7fd61f3f79d97779: name=etcd-1 peerURLs=http://etcd-1.etcd:2380 clientURLs=" + etcd.url() + " isLeader=true\n"
                    + "d6a1cdb4cbeea0b8[unstarted]: peerURLs=http://127.0.0.1:25390\n", ""));
            etcd.on("/v2/members/leader", r -> json(503, "{\"message\":\"During election\"}"));
            CtlRun noLeader = CtlRun.of("--no-sync", "--endpoints=" + etcd.url(), "member", "list");
            assertThat(noLeader.exitCode()).isEqualTo(1);
            assertThat(noLeader.err()).startsWith("Failed to get leader:  client: etcd cluster is unavailable or misconfigured; "
                    + "error #0: client: etcd member " + etcd.url() + " has no leader");
        }
    }

    @Test
    void memberAddPrintsTheJoinEnvironment() throws Exception {
        try (FakeV2Server etcd = new FakeV2Server()) {
            String n1 = member("d8a19b9d5b31b67c", "n1", "http://127.0.0.1:25380", etcd.url());
            String added = "{\"id\":\"d6a1cdb4cbeea0b8\",\"name\":\"\",\"peerURLs\":[\"http://127.0.0.1:25390\"],\"clientURLs\":[]}";
            AtomicInteger lists = new AtomicInteger();
            etcd.on("/v2/members", r -> r.method().equals("POST") ? json(201, added + "\n")
                    : json(200, "{\"members\":[" + (lists.incrementAndGet() > 1 ? added + "," : "") + n1 + "]}"));
            CtlRun run = CtlRun.of("--endpoints=" + etcd.url(), "member", "add", "n2", "http://127.0.0.1:25390");
            assertThat(run).isEqualTo(new CtlRun(0, "Added member named n2 with ID d6a1cdb4cbeea0b8 to cluster\n\n"
                    + "ETCD_NAME=\"n2\"\nETCD_INITIAL_CLUSTER=\"n2=http://127.0.0.1:25390,n1=http://127.0.0.1:25380\"\n"
                    + "ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n", ""));
            FakeV2Server.Request post = etcd.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
            assertThat(post.body()).isEqualTo("{\"peerURLs\":[\"http://127.0.0.1:25390\"]}");
            assertThat(post.contentType()).isEqualTo("application/json");

            etcd.on("/v2/members", r -> r.method().equals("POST") ? json(409, "{\"message\":\"membership: peerURL exists\"}")
                    : json(200, "{\"members\":[" + n1 + "]}"));
            assertThat(CtlRun.of("--endpoints=" + etcd.url(), "member", "add", "n2", "http://127.0.0.1:25380"))
                    .isEqualTo(new CtlRun(1, "", "membership: peerURL exists\n"));
            assertThat(CtlRun.of("--endpoints=" + etcd.url(), "member", "add")).isEqualTo(new CtlRun(1, "", "Provide a name and a single member peerURL\n"));
        }
    }

    @Test
    void memberRemoveChecksTheIdFirstAndUpdateSendsTheUrls() throws Exception {
        try (FakeV2Server etcd = new FakeV2Server()) {
            String n1 = member("d8a19b9d5b31b67c", "n1", "http://127.0.0.1:25380", etcd.url());
            etcd.on("/v2/members", r -> switch (r.method()) {
                case "DELETE", "PUT" -> new Reply(204, "", java.util.Map.of());
                default -> json(200, "{\"members\":[" + n1 + "]}");
            });
            assertThat(CtlRun.of("--endpoints=" + etcd.url(), "member", "remove", "foo"))
                    .isEqualTo(new CtlRun(1, "", "Couldn't find a member in the cluster with an ID of foo.\n"));
            assertThat(CtlRun.of("--endpoints=" + etcd.url(), "member", "remove", "d8a19b9d5b31b67c"))
                    .isEqualTo(new CtlRun(0, "Removed member d8a19b9d5b31b67c from cluster\n", ""));
            assertThat(CtlRun.of("--endpoints=" + etcd.url(), "member", "update", "d8a19b9d5b31b67c", "http://127.0.0.1:25381,http://127.0.0.1:25382"))
                    .isEqualTo(new CtlRun(0, "Updated member with ID d8a19b9d5b31b67c in cluster\n", ""));
            assertThat(etcd.requests()).filteredOn(r -> !r.method().equals("GET"))
                    .extracting(r -> r.method() + " " + r.pathAndQuery() + " " + r.body())
                    .containsExactly("DELETE /v2/members/d8a19b9d5b31b67c ",
                            "PUT /v2/members/d8a19b9d5b31b67c {\"peerURLs\":[\"http://127.0.0.1:25381\",\"http://127.0.0.1:25382\"]}");
        }
    }

    @Test
    void watchWaitsFromTheRightIndexAndSkipsDirectoryEvents() throws Exception {
        try (FakeV2Server etcd = new FakeV2Server().asSingleMember("aa", "n1")) {
            AtomicInteger polls = new AtomicInteger();
            etcd.on("/v2/keys", r -> switch (polls.incrementAndGet()) {
                case 1 -> keys(200, "{\"action\":\"set\",\"node\":{\"key\":\"/w/d\",\"dir\":true,\"modifiedIndex\":20,\"createdIndex\":20}}", 19);
                case 2 -> new Reply(200, "", java.util.Map.of()); // poll ended without an event
                default -> keys(200, "{\"action\":\"set\",\"node\":{\"key\":\"/w/k\",\"value\":\"v\",\"modifiedIndex\":21,\"createdIndex\":21}}", 19);
            });
            CtlRun run = CtlRun.of("--endpoints=" + etcd.url(), "watch", "--recursive", "--after-index", "10", "w");
            assertThat(run).isEqualTo(new CtlRun(0, "[set] /w/k\nv\n", ""));
            assertThat(etcd.requestsTo("/v2/keys")).extracting(FakeV2Server.Request::pathAndQuery).containsExactly(
                    "/v2/keys/w?recursive=true&wait=true&waitIndex=11",
                    "/v2/keys/w?recursive=true&wait=true&waitIndex=21",
                    "/v2/keys/w?recursive=true&wait=true&waitIndex=21");
        }
    }

    @Test
    void execWatchRunsTheCommandWithTheEventInItsEnvironment(@TempDir Path tmp) throws Exception {
        try (FakeV2Server etcd = new FakeV2Server().asSingleMember("aa", "n1")) {
            etcd.on("/v2/keys", r -> keys(200, "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"hello\",\"modifiedIndex\":33,\"createdIndex\":33}}", 32));
            Path file = tmp.resolve("event");
            WatchCommands.ExecWatch exec = new WatchCommands.ExecWatch();
            exec.root = new CairnCtl(System.out, System.err, System.in, java.util.Map.of(), new java.util.Random(1));
            exec.root.endpoints = etcd.url();
            exec.root.output = "simple";
            exec.root.timeout = "2s";
            exec.root.totalTimeout = "5s";
            exec.args = new java.util.ArrayList<>(java.util.List.of("foo", "--", "sh", "-c",
                    "echo \"$ETCD_WATCH_ACTION $ETCD_WATCH_KEY $ETCD_WATCH_VALUE $ETCD_WATCH_MODIFIED_INDEX\" > " + file));
            exec.maxEvents = 1;
            assertThat(exec.call()).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(file).exists().content().isEqualTo("set /foo hello 33\n"));
            assertThat(etcd.requestsTo("/v2/keys").get(0).pathAndQuery()).isEqualTo("/v2/keys/foo?recursive=false&wait=true&waitIndex=0");
        }
    }
}
