package io.cairn.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/bin/load}: one load run against any etcd-v2-speaking cluster. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Load generator for the etcd v2 HTTP API.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--endpoints", required = true, description = "comma-separated client URLs")
    String endpoints;

    @Option(names = "--target", description = "all, leader, follower or followers (default: ${DEFAULT-VALUE})")
    String target = "all";

    @Option(names = "--op", description = "put, get, qget, cas, post or watch (default: ${DEFAULT-VALUE})")
    String op = "put";

    @Option(names = "--connections", description = "concurrent connections (default: ${DEFAULT-VALUE})")
    int connections = 64;

    @Option(names = "--value-size", description = "value bytes (default: ${DEFAULT-VALUE})")
    int valueSize = 256;

    @Option(names = "--keys", description = "key space size (default: ${DEFAULT-VALUE})")
    int keys = 10_000;

    @Option(names = "--duration", description = "seconds to measure (default: ${DEFAULT-VALUE})")
    int duration = 10;

    @Option(names = "--requests", description = "stop after this many requests instead of a duration")
    long requests;

    @Option(names = "--warmup", description = "seconds of warm-up, discarded (default: ${DEFAULT-VALUE})")
    int warmup = 2;

    @Option(names = "--populate", description = "first PUT every key once, in order")
    boolean populate;

    @Option(names = "--prefix", description = "key prefix (default: ${DEFAULT-VALUE})")
    String prefix = "/bench";

    @Option(names = "--server-name", description = "label for the results (default: ${DEFAULT-VALUE})")
    String serverName = "server";

    @Option(names = "--client-threads", description = "Netty event loop threads (default: ${DEFAULT-VALUE})")
    int clientThreads = 1;

    @Option(names = "--json", description = "append the result as a JSON line to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        List<URI> all = Arrays.stream(endpoints.split(",")).map(String::strip).map(URI::create).toList();
        List<URI> chosen = Targets.select(all, target);
        if (populate) {
            LoadSpec fill = new LoadSpec(all, Math.min(connections, 32), Operation.PUT, valueSize, keys, Duration.ZERO,
                    keys, Duration.ZERO, prefix, true);
            new LoadGenerator(fill, clientThreads).run(serverName, "all", (phase, n, errors) -> { });
            System.err.println("populated " + keys + " keys");
        }
        LoadSpec spec = new LoadSpec(chosen, connections, Operation.parse(op), valueSize, keys,
                Duration.ofSeconds(duration), requests, Duration.ofSeconds(warmup), prefix, false);
        LoadResult result = new LoadGenerator(spec, clientThreads).run(serverName, target,
                (phase, n, errors) -> System.err.printf(Locale.ROOT, "%s %s %d req/s, %d errors%n", phase, op, n, errors));
        System.out.print(Reports.markdown(List.of(result)));
        if (json != null) {
            Reports.appendJson(json, result);
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
