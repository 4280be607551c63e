package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.server.testing.TestPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cairn} process as a user runs it: exit codes, the data-dir lock, SIGTERM, restarts. */
class CairnMainProcessTest {
    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A running cairn with its combined output collected in the background. */
    private record Cairn(Process process, ByteArrayOutputStream output, Thread pump) {
        String text() {
            synchronized (output) {
                return output.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private Cairn launch(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), CairnMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (output) {
                        output.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        pump.setDaemon(true);
        pump.start();
        return new Cairn(process, output, pump);
    }

    private static int exitOf(Cairn c) throws InterruptedException {
        assertThat(c.process().waitFor(60, TimeUnit.SECONDS)).as("process ended; output:%n%s", c.text()).isTrue();
        c.pump().join(10_000); // all output read
        return c.process().exitValue();
    }

    @Test
    void flagErrorsExitWithEtcdsCodesAndMessages() throws Exception {
        Cairn unknown = launch(Map.of(), "--bogus");
        assertThat(exitOf(unknown)).isEqualTo(2);
        assertThat(unknown.text()).contains("flag provided but not defined: -bogus");

        Cairn conflict = launch(Map.of("ETCD_NAME", "x"), "--name", "y");
        assertThat(exitOf(conflict)).isEqualTo(1);
        assertThat(conflict.text()).contains("conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag");

        Cairn missingAdvertise = launch(Map.of(), "--listen-client-urls", "http://127.0.0.1:25111");
        assertThat(exitOf(missingAdvertise)).isEqualTo(1);
        assertThat(missingAdvertise.text()).contains(
                "cairn: error verifying flags, --advertise-client-urls is required when --listen-client-urls is set explicitly. See 'cairn --help'.");
    }

    @Test
    void secondMemberOnTheSameDataDirIsRefusedSigtermExitsZeroAndRestartIgnoresBootstrapFlags() throws Exception {
        int peer = TestPorts.next();
        int client = TestPorts.next();
        Path dataDir = tmp.resolve("n1.etcd");
        String[] flags = {"--name", "n1", "--data-dir", dataDir.toString(), "--enable-v2",
            "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
            "--listen-client-urls", "http://127.0.0.1:" + client, "--advertise-client-urls", "http://127.0.0.1:" + client,
            "--initial-cluster", "n1=http://127.0.0.1:" + peer, "--initial-cluster-token", "tok1"};
        Cairn first = launch(Map.of(), flags);
        await().atMost(Duration.ofSeconds(120)).until(() -> first.text().contains("serving the v2 client API on")); // the last start step
        String identity = Files.readString(dataDir.resolve("member/identity.json"));

        Cairn second = launch(Map.of(), flags);
        assertThat(exitOf(second)).isEqualTo(1);
        assertThat(second.text()).contains("is in use by another cairn member");

        first.process().toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
        assertThat(exitOf(first)).isZero();
        assertThat(first.text()).contains("stopped cleanly");

        List<String> bogus = new ArrayList<>(List.of(flags));
        bogus.set(bogus.indexOf("tok1"), "another-token");
        bogus.set(bogus.indexOf("n1=http://127.0.0.1:" + peer), "n1=http://127.0.0.1:" + peer + ",zz=http://127.0.0.1:1");
        Cairn restarted = launch(Map.of(), bogus.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(120)).until(() -> restarted.text().contains("serving the v2 client API on"));
        assertThat(restarted.text()).contains("the server is already initialized as member before");
        assertThat(Files.readString(dataDir.resolve("member/identity.json"))).isEqualTo(identity);
        restarted.process().toHandle().destroy();
        assertThat(exitOf(restarted)).isZero();
    }

    private static HttpResponse<String> http(String method, String url, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts n1 as a one-member cluster and writes {@code key} through it once it serves. */
    private Cairn startLoneMember(int peer, int client, String key, String value) throws Exception {
        Cairn member = launch(Map.of(), memberFlags("n1", tmp.resolve("n1"), peer, client, "n1=http://127.0.0.1:" + peer,
                "new"));
        await().atMost(Duration.ofSeconds(120)).until(() -> member.text().contains("serving the v2 client API on"));
        assertThat(http("PUT", "http://127.0.0.1:" + client + "/v2/keys/" + key, "application/x-www-form-urlencoded",
                "value=" + value).statusCode()).isEqualTo(201);
        return member;
    }

    private static String[] memberFlags(String name, Path dataDir, int peer, int client, String cluster, String state) {
        return new String[] {"--name", name, "--data-dir", dataDir.toString(),
            "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
            "--listen-client-urls", "http://127.0.0.1:" + client, "--advertise-client-urls", "http://127.0.0.1:" + client,
            "--initial-cluster", cluster, "--initial-cluster-state", state, "--initial-cluster-token", "tok-join"};
    }

    @Test
    void aMemberAddedThroughTheMembersApiJoinsWithStateExistingAndAnUnaddedOneIsRefused() throws Exception {
        int peer1 = TestPorts.next();
        int client1 = TestPorts.next();
        int peer2 = TestPorts.next();
        int client2 = TestPorts.next();
        String n1 = "n1=http://127.0.0.1:" + peer1;
        String both = n1 + ",n2=http://127.0.0.1:" + peer2;
        Cairn first = startLoneMember(peer1, client1, "kept", "before-the-join");
        String api1 = "http://127.0.0.1:" + client1;

        Cairn unadded = launch(Map.of(), memberFlags("n2", tmp.resolve("n2"), peer2, client2, both, "existing"));
        assertThat(exitOf(unadded)).as(unadded.text()).isEqualTo(1);
        assertThat(unadded.text()).contains("cairn: error validating peerURLs {ClusterID:").contains(": member count is unequal");

        HttpResponse<String> added = http("POST", api1 + "/v2/members", "application/json",
                "{\"peerURLs\":[\"http://127.0.0.1:" + peer2 + "\"]}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        String newId = added.body().replaceAll("(?s).*\"id\":\"([0-9a-f]+)\".*", "$1");

        Cairn joined = launch(Map.of(), memberFlags("n2", tmp.resolve("n2"), peer2, client2, both, "existing"));
        String api2 = "http://127.0.0.1:" + client2;
        await().atMost(Duration.ofSeconds(120)).until(() -> joined.text().contains("serving the v2 client API on"));
        assertThat(joined.text()).contains("joining existing cluster").contains("as member " + newId);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(http("GET", api2 + "/v2/keys/kept?quorum=true", null, null).body()).contains("before-the-join"));
        assertThat(http("PUT", api2 + "/v2/keys/new", "application/x-www-form-urlencoded", "value=via-n2").statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(http("GET", api1 + "/v2/members", null, null).body())
                        .contains("\"id\":\"" + newId + "\",\"name\":\"n2\"").contains("\"name\":\"n1\""));

        joined.process().toHandle().destroy();
        assertThat(exitOf(joined)).isZero();
        first.process().toHandle().destroy();
        assertThat(exitOf(first)).isZero();
    }

    @Test
    void aMemberWhoseLogIsDamagedRefusesToStartWithARepairHint() throws Exception {
        int peer = TestPorts.next();
        int client = TestPorts.next();
        Path dataDir = tmp.resolve("n1");
        String[] flags = memberFlags("n1", dataDir, peer, client, "n1=http://127.0.0.1:" + peer, "new");
        Cairn first = launch(Map.of(), flags);
        await().atMost(Duration.ofSeconds(120)).until(() -> first.text().contains("serving the v2 client API on"));
        assertThat(http("PUT", "http://127.0.0.1:" + client + "/v2/keys/k", "application/x-www-form-urlencoded",
                "value=v").statusCode()).isEqualTo(201);
        first.process().toHandle().destroy();
        assertThat(exitOf(first)).isZero();

        Path segment;
        try (var files = Files.list(dataDir.resolve("member/wal"))) {
            segment = files.filter(f -> f.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        try (var raf = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
            raf.seek(32 + 10); // inside the segment's first record, which valid ones follow
            int b = raf.read();
            raf.seek(32 + 10);
            raf.write(b ^ 0x04);
        }

        Cairn restarted = launch(Map.of(), flags);
        assertThat(exitOf(restarted)).as(restarted.text()).isEqualTo(1);
        assertThat(restarted.text()).contains("is damaged").contains("refusing to start")
                .contains("member remove").contains("--initial-cluster-state existing");
    }

    @Test
    void aMemberWhoseFsyncFailsAcknowledgesNothingMoreAndExitsWithStatus1() throws Exception {
        Path fiu = Path.of("/usr/lib/fiu");
        assumeTrue(Files.isReadable(fiu.resolve("fiu_posix_preload.so")) && Files.isExecutable(Path.of("/usr/bin/fiu-ctrl")),
                "libfiu (Debian package fiu-utils) makes fsync fail on demand");
        int peer = TestPorts.next();
        int client = TestPorts.next();
        Path dataDir = tmp.resolve("n1");
        String[] flags = memberFlags("n1", dataDir, peer, client, "n1=http://127.0.0.1:" + peer, "new");
        String control = tmp.resolve("fiu-ctrl").toString();
        // What fiu-run -x sets: the POSIX wrappers, remote control through named pipes, nothing failing yet.
        Cairn member = launch(Map.of("LD_PRELOAD", fiu.resolve("fiu_run_preload.so") + " " + fiu.resolve("fiu_posix_preload.so"),
                "FIU_CTRL_FIFO", control, "FIU_ENABLE", ""), flags);
        await().atMost(Duration.ofSeconds(120)).until(() -> member.text().contains("serving the v2 client API on"));
        String api = "http://127.0.0.1:" + client;
        assertThat(http("PUT", api + "/v2/keys/before", "application/x-www-form-urlencoded", "value=1").statusCode()).isEqualTo(201);

        Process ctrl = new ProcessBuilder("fiu-ctrl", "-f", control, "-c", "enable name=posix/io/sync/*,failinfo=5",
                Long.toString(member.process().pid())).inheritIO().start();
        assertThat(ctrl.waitFor(30, TimeUnit.SECONDS) && ctrl.exitValue() == 0).as("fiu-ctrl enabled the failure point").isTrue();
        int during;
        try {
            during = http("PUT", api + "/v2/keys/during", "application/x-www-form-urlencoded", "value=2").statusCode();
        } catch (IOException connectionClosed) {
            during = -1;
        }

        assertThat(during).as("a write whose fsync failed is not acknowledged").isNotIn(200, 201);
        assertThat(exitOf(member)).as(member.text()).isEqualTo(1);
        assertThat(member.text()).contains("the raft node stopped after a fatal error, so this member stops serving")
                .contains("Input/output error");

        Cairn restarted = launch(Map.of(), flags);
        await().atMost(Duration.ofSeconds(120)).until(() -> restarted.text().contains("serving the v2 client API on"));
        assertThat(http("GET", api + "/v2/keys/before?quorum=true", null, null).body()).contains("\"value\":\"1\"");
        restarted.process().toHandle().destroy();
        assertThat(exitOf(restarted)).isZero();
    }

    @Test
    void aRemovedMemberNoticesItsRemovalAndExitsNonZero() throws Exception {
        int peer1 = TestPorts.next();
        int client1 = TestPorts.next();
        int peer2 = TestPorts.next();
        int client2 = TestPorts.next();
        String n1 = "n1=http://127.0.0.1:" + peer1;
        String both = n1 + ",n2=http://127.0.0.1:" + peer2;
        Cairn first = startLoneMember(peer1, client1, "before", "v"); // n1 leads
        String api1 = "http://127.0.0.1:" + client1;
        HttpResponse<String> added = http("POST", api1 + "/v2/members", "application/json",
                "{\"peerURLs\":[\"http://127.0.0.1:" + peer2 + "\"]}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        String id2 = added.body().replaceAll("(?s).*\"id\":\"([0-9a-f]+)\".*", "$1");
        Cairn second = launch(Map.of(), memberFlags("n2", tmp.resolve("n2"), peer2, client2, both, "existing"));
        await().atMost(Duration.ofSeconds(120)).until(() -> second.text().contains("published local member"));

        HttpResponse<String> removed = http("DELETE", api1 + "/v2/members/" + id2, null, null);
        assertThat(removed.statusCode()).as(removed.body() + "\n" + first.text()).isEqualTo(204);
        assertThat(exitOf(second)).as(second.text()).isEqualTo(2);
        assertThat(second.text()).contains("this member was removed from the cluster");
        assertThat(http("PUT", api1 + "/v2/keys/after", "application/x-www-form-urlencoded", "value=v").statusCode())
                .isEqualTo(201);
        first.process().toHandle().destroy();
        assertThat(exitOf(first)).isZero();
    }
}
