package io.cairn.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mousio.etcd4j.EtcdClient;
import mousio.etcd4j.promises.EtcdResponsePromise;
import mousio.etcd4j.responses.EtcdAuthenticationException;
import mousio.etcd4j.responses.EtcdException;
import mousio.etcd4j.responses.EtcdKeyAction;
import mousio.etcd4j.responses.EtcdKeysResponse;
import mousio.etcd4j.responses.EtcdMembersResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The clients people actually use, against a 3-member cluster of real processes: etcdctl (v2 mode), python-etcd
 * (system python3) and the Java client etcd4j. Each runs against etcd 3.4 as well, which keeps the expectations
 * honest. One cluster per flavor is shared by the three tests.
 */
class RealClientsTest {

    private static final Map<Flavor, LocalCluster> clusters = new EnumMap<>(Flavor.class);

    @TempDir
    static Path dir;

    private static LocalCluster cluster(Flavor flavor) {
        assumeTrue(Flavor.etcdInstalled(), "skipped: /usr/bin/etcd and /usr/bin/etcdctl are not installed");
        assumeTrue(flavor.servesHttp(), Flavor.NOT_WIRED);
        return clusters.computeIfAbsent(flavor, f -> new LocalCluster(f, dir.resolve(f.name()),
                CompatPorts.block(3 + f.ordinal()), 3).start());
    }

    @AfterAll
    static void stopClusters() {
        clusters.values().forEach(LocalCluster::close);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN"})
    void etcdctl(Flavor flavor) {
        LocalCluster cluster = cluster(flavor);
        String endpoints = cluster.endpoints();
        String one = cluster.members().get(1).clientUrl();

        assertThat(Etcdctl.run(endpoints, "set", "/ctl/a", "one").stdout()).isEqualTo("one\n");
        assertThat(Etcdctl.run(one, "get", "/ctl/a").stdout()).isEqualTo("one\n");
        assertThat(Etcdctl.run(endpoints, "mk", "/ctl/b", "two").stdout()).isEqualTo("two\n");
        Etcdctl.Result again = Etcdctl.run(endpoints, "mk", "/ctl/b", "three");
        assertThat(again.exitCode()).isEqualTo(4);
        assertThat(again.stderr()).matches("(?s)Error:\\s+105: Key already exists \\(/ctl/b\\) \\[\\d+]\\s*");
        assertThat(Etcdctl.run(endpoints, "mkdir", "/ctl/d").exitCode()).isZero();
        assertThat(Etcdctl.run(endpoints, "ls", "--sort", "/ctl").stdout()).isEqualTo("/ctl/a\n/ctl/b\n/ctl/d\n");
        assertThat(Etcdctl.run(endpoints, "ls", "--sort", "-p", "/ctl").stdout())
                .isEqualTo("/ctl/a\n/ctl/b\n/ctl/d/\n");
        assertThat(Etcdctl.run(endpoints, "update", "/ctl/a", "uno").stdout()).isEqualTo("uno\n");
        assertThat(Etcdctl.run(endpoints, "rm", "/ctl/a").stdout()).isEqualTo("PrevNode.Value: uno\n");
        Etcdctl.Result gone = Etcdctl.run(endpoints, "get", "/ctl/a");
        assertThat(gone.exitCode()).isEqualTo(4);
        assertThat(gone.stderr()).matches("(?s)Error:\\s+100: Key not found \\(/ctl/a\\) \\[\\d+]\\s*");
        assertThat(Etcdctl.run(endpoints, "rmdir", "/ctl/d").exitCode()).isZero();
        assertThat(Etcdctl.run(endpoints, "-o", "json", "get", "/ctl/b").stdout())
                .matches("\\{\"action\":\"get\",\"node\":\\{\"key\":\"/ctl/b\",\"value\":\"two\",\"nodes\":null,"
                        + "\"createdIndex\":\\d+,\"modifiedIndex\":\\d+}(,\"prevNode\":null)?}\\s*");

        // watch from an index already in the history: no race between the watcher and the write
        String index = Etcdctl.run(endpoints, "-o", "extended", "set", "/ctl/w", "seen").stdout()
                .lines().filter(l -> l.startsWith("Modified-Index: ")).findFirst().orElseThrow().substring(16);
        Etcdctl.Result watched = Etcdctl.run(one, "watch", "--after-index", Long.toString(Long.parseLong(index) - 1),
                "/ctl/w");
        assertThat(watched.stdout()).isEqualTo("seen\n");

        Etcdctl.Result members = Etcdctl.run(endpoints, "member", "list");
        assertThat(members.lines()).hasSize(3).allMatch(line -> line.matches(
                "[0-9a-f]{1,16}: name=s\\d peerURLs=http://127\\.0\\.0\\.1:\\d+ clientURLs=http://127\\.0\\.0\\.1:\\d+ "
                        + "isLeader=(true|false)"));
        assertThat(members.lines()).filteredOn(line -> line.endsWith("isLeader=true")).hasSize(1);
        Etcdctl.Result health = Etcdctl.run(endpoints, "cluster-health");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.lines()).last().isEqualTo("cluster is healthy");
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN"})
    void pythonEtcd(Flavor flavor) throws Exception {
        LocalCluster cluster = cluster(flavor);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "skipped: /usr/bin/python3 missing");
        Path script = dir.resolve("python_etcd_session.py");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("python_etcd_session.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        cluster.members().forEach(m -> command.add(Integer.toString(m.clientPort())));
        Etcdctl.Result run = Etcdctl.exec(command, 120);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        run.lines().forEach(line -> seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertThat(seen).as(run.toString())
                .containsEntry("write.action", "set")
                .containsEntry("write.value", "hello")
                .containsEntry("read.value", "hello")
                .containsEntry("read.modifiedIndex.matches", "True")
                .containsEntry("watch.value", "changed")
                .containsEntry("watch.action", "set")
                .containsEntry("cas.value", "swapped")
                .containsEntry("cas.stale", "EtcdCompareFailed")
                .containsEntry("missing", "EtcdKeyNotFound")
                .containsEntry("dir.children", "/py/dir/a,/py/dir/b")
                .containsEntry("members.count", "3")
                .containsEntry("members.names", "s0,s1,s2")
                .containsEntry("machines.count", "3")
                .containsEntry("version", "3.4.23");
        assertThat(seen.get("leader.name")).matches("s[012]");
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"ETCD", "CAIRN"})
    void etcd4j(Flavor flavor) throws Exception {
        LocalCluster cluster = cluster(flavor);
        URI[] uris = cluster.members().stream().map(m -> URI.create(m.clientUrl())).toArray(URI[]::new);
        try (EtcdClient client = new EtcdClient(uris)) {
            assertThat(client.version().getServer()).isEqualTo("3.4.23");

            EtcdKeysResponse put = client.put("/j/msg", "hello").send().get();
            assertThat(put.action).isEqualTo(EtcdKeyAction.set);
            assertThat(put.node.value).isEqualTo("hello");
            assertThat(client.get("/j/msg").consistent().send().get().node.value).isEqualTo("hello");

            EtcdResponsePromise<EtcdKeysResponse> watch = client.get("/j/msg").waitForChange(put.node.modifiedIndex + 1)
                    .timeout(20, TimeUnit.SECONDS).send();
            client.put("/j/msg", "changed").send().get();
            assertThat(watch.get().node.value).isEqualTo("changed");

            assertThat(client.put("/j/msg", "swapped").prevValue("changed").send().get().prevNode.value)
                    .isEqualTo("changed");
            // etcd4j 2.18 cannot decode v2 error bodies under the Jackson 2.18 this build uses (its EtcdException
            // has no creator for "cause"), so the refusal surfaces as an exception of some kind; what matters is
            // that it was refused and the value stayed.
            assertThatThrownBy(() -> client.put("/j/msg", "stale").prevValue("changed").send().get())
                    .isInstanceOfAny(EtcdException.class, java.io.IOException.class);
            assertThat(client.get("/j/msg").send().get().node.value).isEqualTo("swapped");

            client.putDir("/j/dir").send().get();
            client.post("/j/dir", "first").send().get();
            client.post("/j/dir", "second").send().get();
            EtcdKeysResponse listing = client.getDir("/j/dir").sorted().send().get();
            assertThat(listing.node.nodes).extracting(n -> n.value).containsExactly("first", "second");

            EtcdKeysResponse ttl = client.put("/j/ttl", "v").ttl(60).send().get();
            assertThat(ttl.node.ttl).isBetween(59L, 60L);
            assertThat(ttl.node.expiration).isNotNull();

            EtcdMembersResponse members = client.getMembers();
            assertThat(members.getMembers()).hasSize(3);
            assertThat(client.getHealth().getHealth()).isEqualTo("true");
            assertThat(client.getSelfStats().getLeaderInfo().getLeader()).isNotBlank();
            assertThat(client.getStoreStats()).isNotNull();
        } catch (EtcdAuthenticationException e) {
            throw new AssertionError(e);
        }
    }
}
