package io.cairn.server.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns a command line, the environment and an optional YAML file into a {@link ServerConfig}
 * the way etcd 3.4 does: flags first; {@code ETCD_*} variables fill flags not given (giving both
 * is fatal); with {@code --config-file} the file alone is used. Unknown flags are errors, unknown
 * {@code ETCD_*} variables only warnings.
 */
public final class ServerConfigLoader {
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "dpanic", "panic", "fatal");

    private final Map<String, String> env;
    private final Consumer<String> warnings;

    public ServerConfigLoader(Map<String, String> env, Consumer<String> warnings) {
        this.env = env;
        this.warnings = warnings;
    }

    /** Outcome of reading the command line: a configuration, or a request for help/version. */
    public sealed interface Outcome {
        record Start(ServerConfig config) implements Outcome {}

        record ShowHelp() implements Outcome {}

        record ShowVersion() implements Outcome {}
    }

    public Outcome load(String... args) throws ConfigException {
        CommandLine commandLine = new CommandLine(commandSpec());
        commandLine.setOverwrittenOptionsAllowed(true); // Go's flag package: the last value wins
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw new ConfigException(goStyle(e), ConfigException.EXIT_FLAG_SYNTAX);
        }
        if (parsed.hasMatchedOption("--help")) {
            return new Outcome.ShowHelp();
        }
        if (parsed.hasMatchedOption("--version")) {
            return new Outcome.ShowVersion();
        }
        if (!parsed.matchedPositionals().isEmpty()) {
            String stray = parsed.matchedPositionals().get(0).stringValues().get(0);
            throw new ConfigException("'" + stray + "' is not a valid flag", ConfigException.EXIT_FLAG_SYNTAX);
        }

        Map<EtcdFlag, String> values = new EnumMap<>(EtcdFlag.class);
        for (EtcdFlag flag : EtcdFlag.values()) {
            if (parsed.hasMatchedOption("--" + flag.flagName())) {
                values.put(flag, parsed.matchedOptionValue("--" + flag.flagName(), ""));
            }
        }
        applyEnvironment(values);

        if (values.containsKey(EtcdFlag.CONFIG_FILE)) {
            Path file = Path.of(values.get(EtcdFlag.CONFIG_FILE));
            values = YamlConfigFile.read(file, warnings);
        }
        return new Outcome.Start(build(values));
    }

    private void applyEnvironment(Map<EtcdFlag, String> values) throws ConfigException {
        Set<String> known = new java.util.HashSet<>();
        for (EtcdFlag flag : EtcdFlag.values()) {
            known.add(flag.envName());
            String fromEnv = env.get(flag.envName());
            if (fromEnv == null) {
                continue;
            }
            if (values.containsKey(flag)) {
                throw ConfigException.invalid("conflicting environment variable \"" + flag.envName()
                        + "\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)");
            }
            values.put(flag, fromEnv);
        }
        env.keySet().stream()
                .filter(k -> k.startsWith("ETCD_") && !known.contains(k))
                .sorted()
                .forEach(k -> warnings.accept("unrecognized environment variable " + k + "=" + env.get(k)));
    }

    private ServerConfig build(Map<EtcdFlag, String> values) throws ConfigException {
        for (EtcdFlag flag : EtcdFlag.values()) {
            if (flag.isIgnored() && values.containsKey(flag)) {
                warnings.accept("--" + flag.flagName() + " is accepted for etcd compatibility and has no effect in cairn");
            }
        }
        String name = values.getOrDefault(EtcdFlag.NAME, "default");
        List<String> listenPeer = urls(values, EtcdFlag.LISTEN_PEER_URLS, "http://localhost:2380");
        List<String> listenClient = urls(values, EtcdFlag.LISTEN_CLIENT_URLS, "http://localhost:2379");
        List<String> advertiseClient = urls(values, EtcdFlag.ADVERTISE_CLIENT_URLS, "http://localhost:2379");
        List<String> advertisePeer = urls(values, EtcdFlag.INITIAL_ADVERTISE_PEER_URLS, "http://localhost:2380");
        InitialCluster initialCluster = initialCluster(values, name, advertisePeer);
        ClusterState state = clusterState(values.getOrDefault(EtcdFlag.INITIAL_CLUSTER_STATE, "new"));
        int heartbeat = (int) number(values, EtcdFlag.HEARTBEAT_INTERVAL, ServerConfig.DEFAULT_HEARTBEAT_MS, Integer.MAX_VALUE);
        int election = (int) number(values, EtcdFlag.ELECTION_TIMEOUT, ServerConfig.DEFAULT_ELECTION_MS, Integer.MAX_VALUE);
        long snapshotCount = number(values, EtcdFlag.SNAPSHOT_COUNT, ServerConfig.DEFAULT_SNAPSHOT_COUNT, Long.MAX_VALUE);
        long catchupEntries = number(values, EtcdFlag.SNAPSHOT_CATCHUP_ENTRIES,
                ServerConfig.DEFAULT_SNAPSHOT_CATCHUP_ENTRIES, Long.MAX_VALUE);
        int maxRequestBytes = (int) number(values, EtcdFlag.MAX_REQUEST_BYTES, ServerConfig.DEFAULT_MAX_REQUEST_BYTES, Integer.MAX_VALUE);
        boolean enableV2 = bool(values, EtcdFlag.ENABLE_V2, false);
        if (values.containsKey(EtcdFlag.ENABLE_V2) && !enableV2) {
            // etcd 3.4's default is false too, so only a request made on purpose is worth a warning
            warnings.accept("--enable-v2=false has no effect: cairn serves only the v2 API, so it serves it anyway");
        }
        boolean strict = bool(values, EtcdFlag.STRICT_RECONFIG_CHECK, true);
        boolean tickAdvance = bool(values, EtcdFlag.INITIAL_ELECTION_TICK_ADVANCE, true);
        for (EtcdFlag flag : EtcdFlag.values()) {
            if (flag.kind() == EtcdFlag.Kind.IGNORED_BOOL) {
                bool(values, flag, false); // still reject a malformed value, as etcd would
            }
        }
        String logLevel = values.getOrDefault(EtcdFlag.LOG_LEVEL, "info").toLowerCase(Locale.ROOT);

        boolean listenClientGiven = values.containsKey(EtcdFlag.LISTEN_CLIENT_URLS);
        if (listenClientGiven && !values.containsKey(EtcdFlag.ADVERTISE_CLIENT_URLS)) {
            throw ConfigException.invalid("--advertise-client-urls is required when --listen-client-urls is set explicitly");
        }
        requireBindableIps(listenPeer);
        requireBindableIps(listenClient);
        if (heartbeat <= 0) {
            throw ConfigException.invalid("--heartbeat-interval must be > 0 (set to " + heartbeat + "ms)");
        }
        if (5L * heartbeat > election) {
            throw ConfigException.invalid("--election-timeout[" + election + "ms] should be at least as 5 times as --heartbeat-interval["
                    + heartbeat + "ms]");
        }
        if (election > 50_000) {
            throw ConfigException.invalid("--election-timeout[" + election + "ms] is too long, and should be set less than 50000ms");
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw ConfigException.invalid("unknown log level \"" + logLevel + "\" (use debug, info, warn, error, panic or fatal)");
        }
        Path dataDir = Path.of(values.getOrDefault(EtcdFlag.DATA_DIR, name + ".etcd"));
        Optional<Path> walDir = Optional.ofNullable(values.get(EtcdFlag.WAL_DIR)).filter(s -> !s.isEmpty()).map(Path::of);
        return new ServerConfig(name, dataDir, walDir, listenPeer, listenClient, advertiseClient, advertisePeer,
                initialCluster, state, values.getOrDefault(EtcdFlag.INITIAL_CLUSTER_TOKEN, "etcd-cluster"),
                heartbeat, election, snapshotCount, catchupEntries, maxRequestBytes, enableV2, strict, tickAdvance,
                values.getOrDefault(EtcdFlag.CORS, "*"), values.getOrDefault(EtcdFlag.HOST_WHITELIST, "*"),
                logLevel, listenClientGiven);
    }

    private static List<String> urls(Map<EtcdFlag, String> values, EtcdFlag flag, String defaultValue) throws ConfigException {
        String text = values.getOrDefault(flag, defaultValue);
        try {
            return EtcdUrls.parseList(text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.badFlagValue(flag.flagName(), text, e.getMessage());
        }
    }

    private static InitialCluster initialCluster(Map<EtcdFlag, String> values, String name, List<String> advertisePeer)
            throws ConfigException {
        String text = values.get(EtcdFlag.INITIAL_CLUSTER);
        if (text == null || text.isEmpty()) {
            return InitialCluster.of(name, advertisePeer); // etcd: <name>=<initial-advertise-peer-urls>
        }
        try {
            return InitialCluster.parse(text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.badFlagValue(EtcdFlag.INITIAL_CLUSTER.flagName(), text, e.getMessage());
        }
    }

    private static ClusterState clusterState(String text) throws ConfigException {
        try {
            return ClusterState.parse(text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.badFlagValue(EtcdFlag.INITIAL_CLUSTER_STATE.flagName(), text, "invalid value");
        }
    }

    private static long number(Map<EtcdFlag, String> values, EtcdFlag flag, long defaultValue, long max) throws ConfigException {
        String text = values.get(flag);
        if (text == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(text.strip());
            if (parsed < 0 || parsed > max) {
                throw ConfigException.badFlagValue(flag.flagName(), text, "value out of range");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ConfigException.badFlagValue(flag.flagName(), text, "parse error");
        }
    }

    /** Go's strconv.ParseBool spellings. */
    private static boolean bool(Map<EtcdFlag, String> values, EtcdFlag flag, boolean defaultValue) throws ConfigException {
        String text = values.get(flag);
        if (text == null) {
            return defaultValue;
        }
        return switch (text) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw ConfigException.badFlagValue(flag.flagName(), text, "parse error");
        };
    }

    private static void requireBindableIps(List<String> urls) throws ConfigException {
        for (String url : urls) {
            String host = EtcdUrls.host(url);
            if (!host.equals("localhost") && !isIpLiteral(host)) {
                throw ConfigException.invalid("expected IP in URL for binding (" + url + ")");
            }
        }
    }

    private static boolean isIpLiteral(String host) {
        if (host.contains(":")) {
            return true; // IPv6 literal (bracket-stripped)
        }
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            InetAddress.getByName(host); // a literal: no lookup happens
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Picocli's unknown-option message rewritten in the words of Go's flag package. */
    private static String goStyle(ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            String flag = arg.replaceFirst("^--?", "");
            int eq = flag.indexOf('=');
            return "flag provided but not defined: -" + (eq < 0 ? flag : flag.substring(0, eq));
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
            return "flag needs an argument: -" + missing.getMissing().get(0).paramLabel();
        }
        return e.getMessage();
    }

    private static CommandSpec commandSpec() {
        CommandSpec spec = CommandSpec.create().name("cairn");
        for (EtcdFlag flag : EtcdFlag.values()) {
            OptionSpec.Builder option = OptionSpec.builder("--" + flag.flagName(), "-" + flag.flagName())
                    .type(String.class)
                    .paramLabel(flag.flagName());
            if (flag.isBoolean()) {
                option.arity("0..1").fallbackValue("true");
            } else {
                option.arity("1");
            }
            spec.addOption(option.build());
        }
        spec.addOption(OptionSpec.builder("--help", "-help", "-h").arity("0").type(boolean.class).build());
        spec.addOption(OptionSpec.builder("--version", "-version").arity("0").type(boolean.class).build());
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").type(String.class).build());
        spec.parser().unmatchedOptionsArePositionalParams(false);
        return spec;
    }
}
