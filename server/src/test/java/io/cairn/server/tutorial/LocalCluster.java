package io.cairn.server.tutorial;

import io.cairn.server.testing.TestPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Three members started as real processes with the tutorial's etcd flags on loopback. The command
 * that runs a member is a parameter, so the same scenario runs against real etcd (to prove the
 * test) and against cairn.
 */
final class LocalCluster implements AutoCloseable {
    static final String TOKEN = "etcd-cluster-1";

    private final List<String> command;
    private final Path dataRoot;
    private final int[] clientPorts = new int[3];
    private final int[] peerPorts = new int[3];
    private final Process[] processes = new Process[3];

    LocalCluster(List<String> command, Path dataRoot) {
        this.command = List.copyOf(command);
        this.dataRoot = dataRoot;
        for (int i = 0; i < 3; i++) {
            clientPorts[i] = TestPorts.next();
            peerPorts[i] = TestPorts.next();
        }
    }

    static String name(int i) {
        return "etcd-" + i;
    }

    String clientUrl(int i) {
        return "http://127.0.0.1:" + clientPorts[i];
    }

    int clientPort(int i) {
        return clientPorts[i];
    }

    String endpoints() {
        return clientUrl(0) + "," + clientUrl(1) + "," + clientUrl(2);
    }

    void startAll() throws IOException {
        for (int i = 0; i < 3; i++) {
            start(i);
        }
    }

    /** Starts (or restarts, reusing its data dir) member i with the same flags every time. */
    void start(int i) throws IOException {
        StringBuilder cluster = new StringBuilder();
        for (int j = 0; j < 3; j++) {
            cluster.append(j == 0 ? "" : ",").append(name(j)).append("=http://127.0.0.1:").append(peerPorts[j]);
        }
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--name", name(i), "--data-dir", dataRoot.resolve(name(i)).toString(), "--enable-v2=true",
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--listen-client-urls", clientUrl(i),
                "--advertise-client-urls", clientUrl(i),
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-cluster-token", TOKEN,
                "--initial-cluster", cluster.toString(),
                "--initial-cluster-state", "new"));
        ProcessBuilder builder = new ProcessBuilder(args)
                .redirectErrorStream(true)
                .redirectOutput(dataRoot.resolve(name(i) + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        processes[i] = builder.start();
    }

    /** {@code kill -9}: no chance to hand leadership over or flush anything. */
    void kill9(int i) throws InterruptedException {
        processes[i].toHandle().destroyForcibly();
        processes[i].waitFor(30, TimeUnit.SECONDS);
    }

    int indexOfName(String name) {
        for (int i = 0; i < 3; i++) {
            if (name(i).equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p != null) {
                p.toHandle().destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
