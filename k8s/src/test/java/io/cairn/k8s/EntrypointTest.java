package io.cairn.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The production entrypoint builds the founding member list from the StatefulSet's DNS names. */
class EntrypointTest {
    private static final Path ENTRYPOINT = Manifests.REPO.resolve("docker/cairn-entrypoint");

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5})
    void initialClusterListsEveryPeerByDnsName(int replicas) throws Exception {
        List<String> args = dryRun(Map.of("HOSTNAME", "cairn-0", "CAIRN_REPLICAS", String.valueOf(replicas),
                "POD_NAMESPACE", "prod"));

        String expected = IntStream.range(0, replicas)
                .mapToObj(i -> "cairn-" + i + "=http://cairn-" + i + ".cairn.prod.svc.cluster.local:2380")
                .collect(Collectors.joining(","));
        assertThat(flag(args, "--initial-cluster")).isEqualTo(expected);
        assertThat(flag(args, "--initial-cluster-state")).isEqualTo("new");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cairn-2", "my-store-12"})
    void ownUrlsFollowThePodName(String pod) throws Exception {
        String set = pod.substring(0, pod.lastIndexOf('-'));
        List<String> args = dryRun(Map.of("HOSTNAME", pod, "CAIRN_SERVICE", set, "CAIRN_REPLICAS", "3"));

        assertThat(args.get(0)).isEqualTo("etcd");
        assertThat(flag(args, "--name")).isEqualTo(pod);
        String fqdn = pod + "." + set + ".default.svc.cluster.local";
        assertThat(flag(args, "--initial-advertise-peer-urls")).isEqualTo("http://" + fqdn + ":2380");
        assertThat(flag(args, "--advertise-client-urls")).isEqualTo("http://" + fqdn + ":2379");
        assertThat(flag(args, "--initial-cluster")).startsWith(set + "-0=http://" + set + "-0.");
        assertThat(flag(args, "--data-dir")).isEqualTo("/var/lib/cairn/data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--snapshot-count=5000"})
    void extraArgumentsArePassedThrough(String extra) throws Exception {
        List<String> args = dryRun(Map.of("HOSTNAME", "cairn-1"), extra);
        assertThat(args.get(args.size() - 1)).isEqualTo(extra);
    }

    private static String flag(List<String> args, String name) {
        int i = args.indexOf(name);
        assertThat(i).as("flag %s in %s", name, args).isGreaterThanOrEqualTo(0);
        return args.get(i + 1);
    }

    private static List<String> dryRun(Map<String, String> env, String... extra) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().addAll(List.of("sh", ENTRYPOINT.toString()));
        pb.command().addAll(Arrays.asList(extra));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("CAIRN_DRY_RUN", "1");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Arrays.asList(out.split(" "));
    }
}
