package io.cairn.server.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.server.testing.TestPorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cairnctl against etcdctl itself: the same command sequences run with real {@code etcdctl}
 * (ETCDCTL_API=2) and with cairnctl against one real etcd 3.4; stdout, stderr and exit codes must
 * match once numbers (indexes, which advance between the two runs) and expirations are masked.
 * Each tool works under its own key prefix. Skipped when etcd/etcdctl are not installed.
 */
class EtcdctlDifferentialTest {
    private static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

    @TempDir
    static Path tmp;

    private static Process etcd;
    private static String endpoint;

    @BeforeAll
    static void startEtcd() throws Exception {
        assumeTrue(Files.isExecutable(ETCD) && Files.isExecutable(ETCDCTL), "etcd/etcdctl not installed; skipping the differential run");
        int client = TestPorts.next();
        int peer = TestPorts.next();
        endpoint = "http://127.0.0.1:" + client;
        etcd = new ProcessBuilder(ETCD.toString(), "--name", "n1", "--data-dir", tmp.resolve("n1").toString(), "--enable-v2=true",
                "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "n1=http://127.0.0.1:" + peer)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("etcd.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> run(true, "cluster-health").exitCode() == 0);
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException {
        if (etcd != null) {
            etcd.destroyForcibly();
            etcd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Result(int exitCode, String out, String err) {}

    private static Result run(boolean realEtcdctl, String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--endpoints", endpoint));
        full.addAll(List.of(args));
        if (realEtcdctl) {
            List<String> command = new ArrayList<>(List.of(ETCDCTL.toString()));
            command.addAll(full);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("ETCDCTL_API", "2");
            Process p = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CairnCtlMain.run(full.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Map.of(), new Random());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String mask(String text, String prefix) {
        return text.replace(prefix, "/P")
                .replaceAll("\"expiration\":\"[^\"]+\"", "\"expiration\":\"E\"")
                .replaceAll("\\d+", "N");
    }

    /** Runs the script with both tools, each under its own prefix, and compares the masked transcripts. */
    private static void sameAsEtcdctl(String[]... script) throws Exception {
        StringBuilder expected = new StringBuilder();
        StringBuilder actual = new StringBuilder();
        String id = Long.toHexString(System.nanoTime());
        for (boolean real : new boolean[] {true, false}) {
            String prefix = "/" + (real ? "etcdctl" : "cairnctl") + id;
            StringBuilder transcript = real ? expected : actual;
            for (String[] step : script) {
                String[] args = new String[step.length];
                for (int i = 0; i < step.length; i++) {
                    args[i] = step[i].replace("/P", prefix);
                }
                Result r = run(real, args);
                transcript.append("$ ").append(String.join(" ", step)).append('\n')
                        .append(mask(r.out(), prefix)).append("stderr: ").append(mask(r.err(), prefix)).append("\nexit ").append(r.exitCode()).append("\n");
            }
        }
        assertThat(actual.toString()).isEqualTo(expected.toString());
    }

    @Test
    void keyCommandsInEveryOutputFormat() throws Exception {
        sameAsEtcdctl(
                new String[] {"set", "/P/foo", "bar"},
                new String[] {"get", "/P/foo"},
                new String[] {"get", "/P/nokey"},
                new String[] {"-o", "json", "set", "/P/foo", "baz<&>\"q\""},
                new String[] {"-o", "extended", "set", "--ttl", "100", "/P/foo", "baz2"},
                new String[] {"-o", "json", "get", "/P/foo"},
                new String[] {"mk", "/P/k", "v1"},
                new String[] {"mk", "/P/k", "v1"},
                new String[] {"update", "/P/k", "v2"},
                new String[] {"update", "/P/nok", "v2"},
                new String[] {"set", "--swap-with-value", "zz", "/P/k", "v3"},
                new String[] {"set", "--swap-with-index", "1", "/P/k", "v3"},
                new String[] {"-o", "extended", "mk", "--in-order", "/P/q", "job1"},
                new String[] {"updatedir", "--ttl", "100", "/P/q"},
                new String[] {"-o", "json", "updatedir", "--ttl", "100", "/P/q"},
                new String[] {"rmdir", "/P/q"},
                new String[] {"rm", "/P/q"},
                new String[] {"get", "/P/q"},
                new String[] {"rm", "-r", "/P/q"},
                new String[] {"mkdir", "/P/d"},
                new String[] {"mkdir", "/P/d"},
                new String[] {"-o", "json", "mkdir", "/P/d2"},
                new String[] {"setdir", "/P/d3"},
                new String[] {"ls", "--sort", "/P"},
                new String[] {"ls", "--sort", "-p", "-r", "/P"},
                new String[] {"-o", "json", "ls", "--sort", "/P"},
                new String[] {"-o", "extended", "rm", "--dir", "/P/d"},
                new String[] {"rm", "--with-value", "nope", "/P/k"},
                new String[] {"rm", "/P/k"},
                new String[] {"rmdir", "/P/d2"},
                new String[] {"get"},
                new String[] {"set", "/P/onlykey"},
                new String[] {"--no-sync", "get", "/P/foo"});
    }

    @Test
    void watchesReplayHistory() throws Exception {
        // --after-index 1 makes the watch start in the event history, so it returns at once
        sameAsEtcdctl(
                new String[] {"set", "/P/w/a", "1"},
                new String[] {"watch", "--after-index", "1", "/P/w/a"},
                new String[] {"watch", "-r", "--after-index", "1", "/P/w"},
                new String[] {"-o", "json", "watch", "--after-index", "1", "/P/w/a"},
                new String[] {"-o", "extended", "watch", "--recursive", "--after-index", "1", "/P"},
                new String[] {"watch"});
    }

    @Test
    void clusterCommands() throws Exception {
        sameAsEtcdctl(
                new String[] {"member", "list"},
                new String[] {"cluster-health"},
                new String[] {"member", "remove", "nosuchid"},
                new String[] {"member", "add"},
                new String[] {"member", "update", "onlyid"},
                new String[] {"member", "list", "extra"});
    }
}
