package io.cairn.jepsen.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How to start a member. Cairn accepts etcd's flags, so both kinds share one command line and
 * differ only in the executable (and in Cairn's test-only flags).
 */
public record ServerKind(String name, List<String> executable, List<String> extraFlags) {

    public static ServerKind etcd() {
        return new ServerKind("etcd", List.of("/usr/bin/etcd"), List.of("--enable-v2=true"));
    }

    public static ServerKind cairn(String launcher, List<String> extraFlags) {
        return new ServerKind("cairn", List.of(launcher), extraFlags);
    }

    /** Cairn in Docker containers of {@code image} (the Testcontainers backend, see DockerBackend). */
    public static ServerKind docker(String image) {
        return new ServerKind("docker", List.of(image), List.of());
    }

    public boolean isDocker() {
        return name.equals("docker");
    }

    /** The same servers started with {@code flags} too (a nemesis's {@code memberFlags}). */
    public ServerKind withExtraFlags(List<String> flags) {
        List<String> all = new ArrayList<>(extraFlags);
        all.addAll(flags);
        return new ServerKind(name, executable, all);
    }

    /**
     * {@code command} for a member added to a running cluster: the same, but joining it
     * ({@code --initial-cluster-state existing}) rather than founding one.
     */
    public static List<String> joining(List<String> command) {
        List<String> out = new ArrayList<>(command);
        int flag = out.indexOf("--initial-cluster-state");
        if (flag < 0 || flag + 1 >= out.size()) {
            throw new IllegalArgumentException("no --initial-cluster-state in " + command);
        }
        out.set(flag + 1, "existing");
        return out;
    }

    /** The full command line for {@code node} in a cluster of {@code all}. */
    public List<String> command(NodeSpec node, List<NodeSpec> all, String token) {
        String initialCluster = all.stream().map(n -> n.name() + "=" + n.peerUrl()).collect(Collectors.joining(","));
        List<String> cmd = new ArrayList<>(executable);
        cmd.addAll(List.of(
                "--name", node.name(),
                "--data-dir", node.dataDir().toString(),
                "--listen-client-urls", node.clientUrl().toString(),
                "--advertise-client-urls", node.clientUrl().toString(),
                "--listen-peer-urls", node.peerUrl(),
                "--initial-advertise-peer-urls", node.peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", token,
                "--initial-cluster-state", "new",
                "--heartbeat-interval", "100",
                "--election-timeout", "1000"));
        cmd.addAll(extraFlags);
        return cmd;
    }
}
