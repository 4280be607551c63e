package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {
    private final List<String> warnings = new ArrayList<>();

    private ServerConfig load(Map<String, String> env, String... args) throws ConfigException {
        ServerConfigLoader.Outcome outcome = new ServerConfigLoader(env, warnings::add).load(args);
        assertThat(outcome).isInstanceOf(ServerConfigLoader.Outcome.Start.class);
        return ((ServerConfigLoader.Outcome.Start) outcome).config();
    }

    private ServerConfig load(String... args) throws ConfigException {
        return load(Map.of(), args);
    }

    @Test
    void defaultsAreEtcds() throws Exception {
        ServerConfig c = load();
        assertThat(c.name()).isEqualTo("default");
        assertThat(c.dataDir()).isEqualTo(Path.of("default.etcd"));
        assertThat(c.walDir()).isEmpty();
        assertThat(c.listenPeerUrls()).containsExactly("http://localhost:2380");
        assertThat(c.listenClientUrls()).containsExactly("http://localhost:2379");
        assertThat(c.advertiseClientUrls()).containsExactly("http://localhost:2379");
        assertThat(c.initialAdvertisePeerUrls()).containsExactly("http://localhost:2380");
        assertThat(c.initialCluster()).hasToString("default=http://localhost:2380");
        assertThat(c.initialClusterState()).isEqualTo(ClusterState.NEW);
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster");
        assertThat(c.heartbeatIntervalMs()).isEqualTo(100);
        assertThat(c.electionTimeoutMs()).isEqualTo(1000);
        assertThat(c.snapshotCount()).isEqualTo(100_000);
        assertThat(c.snapshotCatchupEntries()).isEqualTo(5_000);
        assertThat(c.maxRequestBytes()).isEqualTo(1_572_864);
        assertThat(c.enableV2()).isFalse();
        assertThat(c.strictReconfigCheck()).isTrue();
        assertThat(c.initialElectionTickAdvance()).isTrue();
        assertThat(c.logLevel()).isEqualTo("info");
    }

    @Test
    void dataDirAndInitialClusterDefaultsFollowTheName() throws Exception {
        ServerConfig c = load("--name", "n1", "--initial-advertise-peer-urls", "http://127.0.0.1:25380");
        assertThat(c.dataDir()).isEqualTo(Path.of("n1.etcd"));
        assertThat(c.initialCluster()).hasToString("n1=http://127.0.0.1:25380");
    }

    @Test
    void tutorialCommandLineIsAccepted() throws Exception {
        ServerConfig c = load("--name", "etcd-0",
                "--listen-peer-urls", "http://0.0.0.0:2380",
                "--listen-client-urls", "http://0.0.0.0:2379",
                "--advertise-client-urls", "http://etcd-0.etcd:2379",
                "--initial-advertise-peer-urls", "http://etcd-0:2380",
                "--initial-cluster-token", "etcd-cluster-1",
                "--initial-cluster", "etcd-0=http://etcd-0.etcd:2380,etcd-1=http://etcd-1.etcd:2380,etcd-2=http://etcd-2.etcd:2380",
                "--initial-cluster-state", "new",
                "--data-dir", "/var/run/etcd/default.etcd");
        assertThat(c.initialCluster().members()).containsOnlyKeys("etcd-0", "etcd-1", "etcd-2");
        assertThat(c.initialCluster().peerUrls("etcd-1")).containsExactly("http://etcd-1.etcd:2380");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/run/etcd/default.etcd"));
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster-1");
    }

    @Test
    void goFlagSpellingsAllWork() throws Exception {
        ServerConfig c = load("-name=a", "--snapshot-count=5", "--experimental-snapshot-catchup-entries=7", "-enable-v2", "--strict-reconfig-check=false",
                "--initial-election-tick-advance=false",
                "--heartbeat-interval", "50", "--election-timeout=500", "--max-request-bytes", "2048", "--log-level", "debug",
                "--wal-dir", "/tmp/w", "--name", "b");
        assertThat(c.name()).isEqualTo("b"); // the last value wins, as with Go's flag package
        assertThat(c.snapshotCount()).isEqualTo(5);
        assertThat(c.snapshotCatchupEntries()).isEqualTo(7);
        assertThat(c.enableV2()).isTrue();
        assertThat(c.strictReconfigCheck()).isFalse();
        assertThat(c.initialElectionTickAdvance()).isFalse();
        assertThat(c.heartbeatIntervalMs()).isEqualTo(50);
        assertThat(c.electionTimeoutMs()).isEqualTo(500);
        assertThat(c.maxRequestBytes()).isEqualTo(2048);
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.walDir()).contains(Path.of("/tmp/w"));
    }

    @Test
    void enableV2AcceptsExplicitValues() throws Exception {
        assertThat(load("--enable-v2=true").enableV2()).isTrue();
        assertThat(load().enableV2()).isFalse();
        assertThat(warnings).as("etcd's default needs no warning").isEmpty();
        assertThat(load("--enable-v2=false").enableV2()).isFalse();
        assertThat(warnings).singleElement().asString().contains("--enable-v2=false has no effect");
        assertThatThrownBy(() -> load("--enable-v2=maybe")).hasMessage("invalid value \"maybe\" for flag -enable-v2: parse error");
    }

    @Test
    void environmentFillsFlagsNotGiven() throws Exception {
        ServerConfig c = load(Map.of("ETCD_NAME", "envname", "ETCD_INITIAL_CLUSTER_STATE", "existing",
                "ETCD_ENABLE_V2", "true", "ETCD_LISTEN_CLIENT_URLS", "http://127.0.0.1:25379",
                "ETCD_ADVERTISE_CLIENT_URLS", "http://127.0.0.1:25379"), "--data-dir", "x");
        assertThat(c.name()).isEqualTo("envname");
        assertThat(c.initialClusterState()).isEqualTo(ClusterState.EXISTING);
        assertThat(c.enableV2()).isTrue();
        assertThat(c.listenClientUrls()).containsExactly("http://127.0.0.1:25379");
        assertThat(c.dataDir()).isEqualTo(Path.of("x"));
    }

    @Test
    void flagAndEnvironmentTogetherIsFatal() {
        assertThatThrownBy(() -> load(Map.of("ETCD_NAME", "x"), "--name", "y"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag "
                        + "(either unset environment variable or disable flag)")
                .extracting(e -> ((ConfigException) e).exitCode()).isEqualTo(1);
    }

    @Test
    void unknownEtcdVariablesOnlyWarn() throws Exception {
        load(Map.of("ETCD_FROBNICATE", "1", "HOME", "/root"));
        assertThat(warnings).containsExactly("unrecognized environment variable ETCD_FROBNICATE=1");
    }

    @Test
    void unknownFlagIsAClearError() {
        assertThatThrownBy(() -> load("--bogus"))
                .hasMessage("flag provided but not defined: -bogus")
                .extracting(e -> ((ConfigException) e).exitCode()).isEqualTo(2);
        assertThatThrownBy(() -> load("--bogus=3")).hasMessage("flag provided but not defined: -bogus");
        assertThatThrownBy(() -> load("stray")).hasMessage("'stray' is not a valid flag");
    }

    @Test
    void urlErrorsUseEtcdsWording() {
        assertThatThrownBy(() -> load("--listen-peer-urls", "ftp://1.2.3.4:2380"))
                .hasMessage("invalid value \"ftp://1.2.3.4:2380\" for flag -listen-peer-urls: URL scheme must be http, https, unix, or unixs: ftp://1.2.3.4:2380");
        assertThatThrownBy(() -> load("--listen-peer-urls", "http://1.2.3.4"))
                .hasMessage("invalid value \"http://1.2.3.4\" for flag -listen-peer-urls: URL address does not have the form \"host:port\": http://1.2.3.4");
        assertThatThrownBy(() -> load("--listen-peer-urls", "http://1.2.3.4:5/"))
                .hasMessage("invalid value \"http://1.2.3.4:5/\" for flag -listen-peer-urls: URL must not contain a path: http://1.2.3.4:5/");
    }

    @Test
    void listenUrlsMustBeIpAddresses() {
        assertThatThrownBy(() -> load("--listen-peer-urls", "http://foo:2380"))
                .hasMessage("expected IP in URL for binding (http://foo:2380)");
    }

    @Test
    void explicitListenClientUrlsNeedAdvertisedOnes() {
        assertThatThrownBy(() -> load("--listen-client-urls", "http://127.0.0.1:25111"))
                .hasMessage("--advertise-client-urls is required when --listen-client-urls is set explicitly");
    }

    @Test
    void badValuesAreRejected() {
        assertThatThrownBy(() -> load("--initial-cluster-state", "foo"))
                .hasMessage("invalid value \"foo\" for flag -initial-cluster-state: invalid value");
        assertThatThrownBy(() -> load("--heartbeat-interval", "abc"))
                .hasMessage("invalid value \"abc\" for flag -heartbeat-interval: parse error");
        assertThatThrownBy(() -> load("--heartbeat-interval", "300"))
                .hasMessage("--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]");
        assertThatThrownBy(() -> load("--log-level", "loud")).hasMessageStartingWith("unknown log level \"loud\"");
        assertThatThrownBy(() -> load("--name")).hasMessageContaining("-name");
    }

    @Test
    void helpAndVersionAreRecognised() throws Exception {
        assertThat(new ServerConfigLoader(Map.of(), warnings::add).load("--help")).isInstanceOf(ServerConfigLoader.Outcome.ShowHelp.class);
        assertThat(new ServerConfigLoader(Map.of(), warnings::add).load("--version")).isInstanceOf(ServerConfigLoader.Outcome.ShowVersion.class);
    }

    @Test
    void ignoredEtcdFlagsAreAcceptedWithAWarning() throws Exception {
        load("--logger=zap", "--quota-backend-bytes", "100", "--enable-pprof");
        assertThat(warnings).hasSize(3).allMatch(w -> w.contains("has no effect"));
    }

    @Test
    void configFileReplacesFlagsAndEnvironment(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("etcd.yaml");
        Files.writeString(file, """
                name: y1
                data-dir: /data/y1
                enable-v2: true
                heartbeat-interval: 50
                election-timeout: 600
                listen-client-urls: http://127.0.0.1:25401
                advertise-client-urls: http://127.0.0.1:25401
                initial-advertise-peer-urls: http://127.0.0.1:25402
                initial-cluster: y1=http://127.0.0.1:25402,y2=http://127.0.0.1:25403
                initial-cluster-state: existing
                initial-cluster-token: ytok
                unknown-key: 1
                """);
        ServerConfig c = load(Map.of("ETCD_SNAPSHOT_COUNT", "7"), "--config-file", file.toString());
        assertThat(c.name()).isEqualTo("y1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/data/y1"));
        assertThat(c.enableV2()).isTrue();
        assertThat(c.heartbeatIntervalMs()).isEqualTo(50);
        assertThat(c.electionTimeoutMs()).isEqualTo(600);
        assertThat(c.initialCluster().members()).containsOnlyKeys("y1", "y2");
        assertThat(c.initialClusterState()).isEqualTo(ClusterState.EXISTING);
        assertThat(c.initialClusterToken()).isEqualTo("ytok");
        assertThat(c.snapshotCount()).isEqualTo(100_000); // the environment is ignored with a config file
        assertThat(warnings).anyMatch(w -> w.contains("unknown-key"));
    }

    @Test
    void configFileCanComeFromTheEnvironment(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("etcd.yaml");
        Files.writeString(file, "name: fromfile\n");
        assertThat(load(Map.of("ETCD_CONFIG_FILE", file.toString())).name()).isEqualTo("fromfile");
        assertThat(load(Map.of("ETCD_CONFIG_FILE", file.toString())).walDir()).isEqualTo(Optional.empty());
    }
}
