package io.cairn.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed tutorial's session, step by step, against a 3-member cluster of real processes, driven with the real
 * etcdctl (v2) and raw HTTP as the tutorial's curl. Runs against etcd 3.4 too, which keeps the test honest.
 */
class TutorialTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN"})
    void tutorialSession(Flavor flavor) throws IOException {
        assumeTrue(Flavor.etcdInstalled(), "skipped: /usr/bin/etcd and /usr/bin/etcdctl are not installed");
        assumeTrue(flavor.servesHttp(), Flavor.NOT_WIRED);
        TutorialShapes shapes = TutorialShapes.load();
        try (LocalCluster cluster = new LocalCluster(flavor, dir, CompatPorts.block(flavor.ordinal() + 1), 3).start()) {
            MemberProcess first = cluster.members().get(0);

            // set msg (curl -XPUT -d value=hello-world)
            RawHttp.Response set = put(first, "/v2/keys/msg", "value=hello-world");
            assertThat(set.status()).isEqualTo(201);
            assertThat(set.text()).startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/msg\",\"value\":\"hello-world\"");

            // read it from every member, over HTTP and with etcdctl get
            for (MemberProcess member : cluster.members()) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        RawHttp.exchange(member.clientPort(), "GET", "/v2/keys/msg", Map.of(), null,
                                Duration.ofSeconds(5)).text()).contains("\"value\":\"hello-world\""));
                assertThat(Etcdctl.run(member.clientUrl(), "get", "msg").stdout()).isEqualTo("hello-world\n");
            }

            // cluster-health: healthy, every line shaped like the tutorial's
            Etcdctl.Result healthy = Etcdctl.run(cluster.endpoints(), "cluster-health");
            assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
            assertThat(healthy.lines()).hasSize(4).last().isEqualTo("cluster is healthy");
            assertThat(shapes.linesNotShapedLike("healthy", healthy.lines())).as(healthy.toString()).isEmpty();

            // member list: three members, exactly one leader
            Etcdctl.Result list = Etcdctl.run(cluster.endpoints(), "member", "list");
            assertThat(list.exitCode()).isZero();
            assertThat(list.lines()).hasSize(3);
            assertThat(shapes.linesNotShapedLike("member-list", list.lines())).as(list.toString()).isEmpty();
            assertThat(list.lines()).filteredOn(line -> line.endsWith("isLeader=true")).hasSize(1);
            String leaderName = leaderName(list);

            // kill -9 the leader
            MemberProcess leader = cluster.member(leaderName);
            leader.kill();
            List<MemberProcess> survivors = cluster.members().stream().filter(m -> m != leader).toList();
            String survivorEndpoints = survivors.get(0).clientUrl() + "," + survivors.get(1).clientUrl();

            // cluster-health: degraded, exit code 5, shapes as in the tutorial
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Etcdctl.Result degraded = Etcdctl.run(survivorEndpoints, "cluster-health");
                assertThat(degraded.exitCode()).as(degraded.toString()).isEqualTo(5);
                assertThat(degraded.lines()).last().isEqualTo("cluster is degraded");
                assertThat(shapes.linesNotShapedLike("degraded", degraded.lines())).as(degraded.toString())
                        .isEmpty();
                assertThat(shapes.shapesMissingFrom("degraded", degraded.lines())).as(degraded.toString()).isEmpty();
            });

            // reads continue; the write (once a new leader is elected) shows prevNode
            MemberProcess survivor = survivors.get(0);
            assertThat(RawHttp.exchange(survivor.clientPort(), "GET", "/v2/keys/msg", Map.of(), null,
                    Duration.ofSeconds(5)).text()).contains("\"value\":\"hello-world\"");
            RawHttp.Response again = await().atMost(Duration.ofSeconds(30)).until(
                    () -> put(survivor, "/v2/keys/msg", "value=hello-again"), r -> r.status() == 200);
            assertThat(again.text()).startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/msg\",\"value\":\"hello-again\"")
                    .contains("\"prevNode\":{\"key\":\"/msg\",\"value\":\"hello-world\"");

            // the StatefulSet restarts the pod on its volume: healthy again, with the new value, new leader
            leader.start().awaitServing(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Etcdctl.Result result = Etcdctl.run(cluster.endpoints(), "cluster-health");
                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.lines()).last().isEqualTo("cluster is healthy");
            });
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    Etcdctl.run(leader.clientUrl(), "get", "msg").stdout()).isEqualTo("hello-again\n"));
            Etcdctl.Result after = Etcdctl.run(cluster.endpoints(), "member", "list");
            assertThat(after.lines()).filteredOn(line -> line.endsWith("isLeader=true")).hasSize(1);
            assertThat(leaderName(after)).isNotEqualTo(leaderName);
        }
    }

    private static String leaderName(Etcdctl.Result list) {
        String line = list.lines().stream().filter(l -> l.endsWith("isLeader=true")).findFirst().orElseThrow();
        return line.replaceAll(".* name=(\\S+) .*", "$1");
    }

    private static RawHttp.Response put(MemberProcess member, String target, String form) throws IOException {
        return RawHttp.exchange(member.clientPort(), "PUT", target,
                Map.of("Content-Type", "application/x-www-form-urlencoded"), form.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(15));
    }
}
