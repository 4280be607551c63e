package io.cairn.compat;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One etcd or Cairn member running as a real OS process on loopback, started with etcd's flags. Its output
 * goes to {@code member.log} next to its data dir so a failing test can show why a member died.
 */
final class MemberProcess implements AutoCloseable {

    private final Flavor flavor;
    private final String name;
    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private final List<String> flags;
    private Process process;

    private MemberProcess(Flavor flavor, String name, Path dataDir, int clientPort, int peerPort,
                          List<String> flags) {
        this.flavor = flavor;
        this.name = name;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.flags = flags;
    }

    /** A member of a cluster whose members are named s0..s(n-1) with the given client/peer port pairs. */
    static MemberProcess member(Flavor flavor, Path root, int index, int[] clientPorts, int[] peerPorts) {
        StringBuilder initialCluster = new StringBuilder();
        for (int i = 0; i < peerPorts.length; i++) {
            initialCluster.append(i == 0 ? "" : ",").append("s").append(i).append("=http://127.0.0.1:")
                    .append(peerPorts[i]);
        }
        String name = "s" + index;
        Path dataDir = root.resolve(name + ".etcd");
        String client = "http://127.0.0.1:" + clientPorts[index];
        String peer = "http://127.0.0.1:" + peerPorts[index];
        List<String> flags = new ArrayList<>(List.of(
                "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initialCluster.toString(),
                "--initial-cluster-token", "compat-cluster", "--initial-cluster-state", "new",
                "--enable-v2=true", "--heartbeat-interval", "100", "--election-timeout", "1000"));
        return new MemberProcess(flavor, name, dataDir, clientPorts[index], peerPorts[index], flags);
    }

    Flavor flavor() {
        return flavor;
    }

    String name() {
        return name;
    }

    int clientPort() {
        return clientPort;
    }

    int peerPort() {
        return peerPort;
    }

    String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** Starts the process (on its existing data dir if any). Does not wait for readiness. */
    MemberProcess start() {
        try {
            Files.createDirectories(dataDir.getParent());
            ProcessBuilder builder = new ProcessBuilder(flavor.command(flags))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            builder.environment().keySet().removeIf(key -> key.startsWith("ETCD"));
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the member answers /version on its client port (it may not have a leader yet). */
    MemberProcess awaitServing(Duration timeout) {
        await("member " + name + " (" + flavor + ") serving on " + clientPort).atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
                    }
                    try {
                        return RawHttp.exchange(clientPort, "GET", "/version", Map.of(), null, Duration.ofSeconds(1))
                                .status() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    /**
     * Waits until a quorum read through this member succeeds (a leader exists, the member is caught up) and the
     * member has published its name and the cluster version is decided, which etcd does before it serves clients.
     */
    MemberProcess awaitWritable(Duration timeout) {
        await("member " + name + " (" + flavor + ") accepting writes").atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        return RawHttp.exchange(clientPort, "GET", "/v2/keys/?quorum=true", Map.of(), null,
                                Duration.ofSeconds(3)).status() == 200
                                && (flavor == Flavor.CAIRN_LOCAL // fixed identity "local", published at start
                                || (RawHttp.exchange(clientPort, "GET", "/v2/members", Map.of(), null,
                                        Duration.ofSeconds(3)).text().contains("\"name\":\"" + name + "\"")
                                    // and the leader has decided the cluster version, as etcd has by then
                                    && !RawHttp.exchange(clientPort, "GET", "/version", Map.of(), null,
                                        Duration.ofSeconds(3)).text().contains("not_decided")));
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** kill -9: no shutdown hook, no flush beyond what the member already made durable. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** SIGTERM, then SIGKILL if the member has not exited after 15 s. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    private void waitForExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Path logFile() {
        return dataDir.getParent().resolve(name + "-" + flavor.name().toLowerCase() + ".log");
    }

    String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }
}
