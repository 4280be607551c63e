package io.cairn.jepsen.cluster;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The optional Testcontainers backend: the same suite against members in Docker containers built
 * from the repository's Dockerfile, on a network of their own, peers found by name as in the
 * StatefulSet. Kill and pause faults work here; firewall, clock, disk and proxy faults need the
 * process backend (they act on PIDs and on the harness's own network namespace).
 */
public final class DockerBackend {
    private static final String IMAGE = "cairn-jepsen:local";

    private DockerBackend() {
    }

    /** Whether a Docker engine answers (Testcontainers' own discovery: socket, DOCKER_HOST, ...). */
    public static boolean available() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether a nemesis (one part of a composite) can act on containers. */
    public static boolean supports(String nemesis) {
        return nemesis.equals("none") || nemesis.startsWith("kill-") || nemesis.startsWith("pause-");
    }

    /** Builds (or reuses from Docker's layer cache) the image of the repository at {@code repo}. */
    public static String buildImage(Path repo) {
        new ImageFromDockerfile(IMAGE, false)
                .withFileFromPath(".", repo)
                .get();
        return IMAGE;
    }

    /** n members named n1, n2, ... whose client ports are published on fixed loopback ports of this host. */
    static Cluster create(String image, int size, Path dir, String token) {
        Network network = Network.newNetwork();
        String initialCluster = java.util.stream.IntStream.rangeClosed(1, size)
                .mapToObj(i -> "n" + i + "=http://n" + i + ":2380").collect(Collectors.joining(","));
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            String name = "n" + i;
            int hostPort = freePort();
            NodeSpec spec = new NodeSpec(name, "127.0.0.1", hostPort, 2380, dir.resolve(name).resolve("data"),
                    dir.resolve(name + ".log"));
            createDirectories(dir);
            GenericContainer<?> container = new GenericContainer<>(image)
                    .withNetwork(network)
                    .withNetworkAliases(name)
                    .withExposedPorts(2379)
                    // A fixed host port: Docker picks a new random one on every restart otherwise,
                    // and the workers keep one address per member for the whole run.
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                            new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), ExposedPort.tcp(2379))))
                    .withCommand(
                            "--name", name,
                            "--data-dir", "/var/lib/cairn/data",
                            "--listen-client-urls", "http://0.0.0.0:2379",
                            "--advertise-client-urls", "http://" + name + ":2379",
                            "--listen-peer-urls", "http://0.0.0.0:2380",
                            "--initial-advertise-peer-urls", "http://" + name + ":2380",
                            "--initial-cluster", initialCluster,
                            "--initial-cluster-token", token,
                            "--initial-cluster-state", "new",
                            "--heartbeat-interval", "100",
                            "--election-timeout", "1000");
            nodes.add(new ContainerNode(spec, container));
        }
        return new Cluster(nodes, network::close);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
