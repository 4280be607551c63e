package io.cairn.server.ctl;

import io.cairn.server.ctl.client.ClientException;
import io.cairn.server.ctl.client.ClusterError;
import io.cairn.server.ctl.client.V2Client;
import io.cairn.server.ctl.output.ResponsePrinter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code cairnctl} root: etcdctl v2's global options and the helpers every command shares
 * (client construction with sync, error printing with etcdctl's exit codes).
 */
@Command(name = "cairnctl", description = "A simple command line client for etcd (v2 API), for Cairn.",
        subcommands = {KeyCommands.Get.class, KeyCommands.Set.class, KeyCommands.Mk.class, KeyCommands.Mkdir.class,
            KeyCommands.Setdir.class, KeyCommands.Rm.class, KeyCommands.Rmdir.class, KeyCommands.Ls.class,
            KeyCommands.Update.class, KeyCommands.Updatedir.class, WatchCommands.Watch.class, WatchCommands.ExecWatch.class,
            ClusterHealthCommand.class, MemberCommands.class})
public final class CairnCtl implements Runnable {
    static final String DEFAULT_ENDPOINTS = "http://127.0.0.1:2379,http://127.0.0.1:4001";

    @Option(names = "--debug", description = "output cURL commands which can be used to reproduce the request")
    boolean debug;

    @Option(names = "--no-sync", description = "don't synchronize cluster information before sending request")
    boolean noSync;

    @Option(names = {"--output", "-o"}, defaultValue = "simple",
            description = "output response in the given format (simple, `extended` or `json`) (default: \"simple\")")
    String output;

    @Option(names = {"--discovery-srv", "-D"}, description = "domain name to query for SRV records describing cluster endpoints")
    String discoverySrv;

    @Option(names = "--insecure-discovery", description = "accept insecure SRV records describing cluster endpoints")
    boolean insecureDiscovery;

    @Option(names = {"--peers", "-C"}, description = "DEPRECATED - \"--endpoints\" should be used instead")
    String peers;

    @Option(names = "--endpoint", description = "DEPRECATED - \"--endpoints\" should be used instead")
    String endpoint;

    @Option(names = "--endpoints", description = "a comma-delimited list of machine addresses in the cluster "
            + "(default: \"http://127.0.0.1:2379,http://127.0.0.1:4001\")")
    String endpoints;

    @Option(names = "--cert-file", description = "identify HTTPS client using this SSL certificate file")
    String certFile;

    @Option(names = "--key-file", description = "identify HTTPS client using this SSL key file")
    String keyFile;

    @Option(names = "--ca-file", description = "verify certificates of HTTPS-enabled servers using this CA bundle")
    String caFile;

    @Option(names = {"--username", "-u"}, description = "provide username[:password] and prompt if password is not supplied.")
    String username;

    @Option(names = "--timeout", defaultValue = "2s", description = "connection timeout per request (default: 2s)")
    String timeout;

    @Option(names = "--total-timeout", defaultValue = "5s", description = "timeout for the command execution (except watch) (default: 5s)")
    String totalTimeout;

    @Option(names = {"--version", "-v"}, versionHelp = true, description = "print the version")
    boolean version;

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    final PrintStream out;
    final PrintStream err;
    final InputStream in;
    final Map<String, String> env;
    final Random shuffle;

    CairnCtl(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Random shuffle) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
        this.shuffle = shuffle;
    }

    @Override
    public void run() {
        // No command: etcdctl shows its help and succeeds.
        new picocli.CommandLine(this).usage(out);
    }

    ResponsePrinter printer() {
        return new ResponsePrinter(out, err, output);
    }

    /** A client for a keys or members command: synced to the members' client URLs unless --no-sync. */
    V2Client client(boolean watch) {
        V2Client client = rawClient(watch);
        if (!noSync) {
            try {
                client.sync();
            } catch (V2Client.NoEndpointsException e) {
                err.println("etcd cluster has no published client endpoints.");
                err.println("Try '--no-sync' if you want to access non-published client endpoints("
                        + String.join(",", client.endpoints().stream().map(URI::toString).toList()) + ").");
                throw fail(ExitCodes.SERVER_ERROR, e);
            } catch (ClusterError e) {
                if (e.allConnectionFailures()) {
                    throw fail(ExitCodes.BAD_CONNECTION, e);
                }
            } catch (ClientException e) {
                // etcdctl carries on with the given endpoints when sync fails for another reason
            }
        }
        return client;
    }

    /** A client on exactly the given endpoints (cluster-health lists members this way). */
    V2Client rawClient(boolean watch) {
        Duration perRequest = goDuration("timeout", timeout);
        Optional<Instant> deadline = watch ? Optional.empty() : Optional.of(Instant.now().plus(goDuration("total-timeout", totalTimeout)));
        HttpClient http = V2Client.newHttpClient(Duration.ofSeconds(30));
        return new V2Client(http, endpointList(), perRequest, deadline, shuffle, debug ? err : null);
    }

    List<URI> endpointList() {
        String text = firstNonEmpty(endpoints, env.get("ETCDCTL_ENDPOINTS"), endpoint, env.get("ETCDCTL_ENDPOINT"),
                peers, env.get("ETCDCTL_PEERS"), DEFAULT_ENDPOINTS);
        List<URI> uris = new ArrayList<>();
        for (String ep : text.split(",")) {
            String trimmed = ep.strip();
            uris.add(URI.create(trimmed.contains("://") ? trimmed : "http://" + trimmed));
        }
        return uris;
    }

    /** etcdctl's handleError: {@code Error:  <err>} (plus the per-endpoint detail) and the exit code. */
    CtlExit fail(int code, ClientException e) {
        err.println("Error:  " + e.getMessage());
        if (e instanceof ClusterError cluster) {
            err.println(cluster.detail());
        }
        return new CtlExit(code);
    }

    CtlExit fail(int code, String message) {
        err.println("Error:  " + message);
        return new CtlExit(code);
    }

    /** {@code argOrStdin}: the i-th argument, else all of standard input. */
    Optional<String> argOrStdin(List<String> args, int i) {
        if (i < args.size()) {
            return Optional.of(args.get(i));
        }
        try {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return all.isEmpty() ? Optional.empty() : Optional.of(all);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String firstNonEmpty(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isEmpty()) {
                return c;
            }
        }
        return "";
    }

    /** Go's {@code time.ParseDuration} for the forms people type: 2s, 500ms, 1m30s, 1.5s. */
    Duration goDuration(String flag, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(text);
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            err.println("invalid value \"" + text + "\" for flag -" + flag + ": time: invalid duration \"" + text + "\"");
            throw new CtlExit(ExitCodes.BAD_ARGS);
        }
        return Duration.ofNanos((long) nanos);
    }
}
