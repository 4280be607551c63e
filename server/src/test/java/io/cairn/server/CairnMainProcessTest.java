package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.server.testing.TestPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
}
