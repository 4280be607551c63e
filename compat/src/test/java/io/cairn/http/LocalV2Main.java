package io.cairn.http;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in `cairn` process for the differential suite while the server module does not serve HTTP: the real
 * {@link V2HttpServer} over the real kv-store through v2-http-api's in-process {@code LocalBackend} (commands
 * applied in order on one thread, no Raft, no TTL sweep). Accepts the etcd flags the suite passes and uses
 * {@code --data-dir} and the first {@code --listen-client-urls}; the rest is ignored.
 */
public final class LocalV2Main {

    private LocalV2Main() {}

    public static void main(String[] args) throws Exception {
        List<String> flags = List.of(args);
        Path dataDir = Path.of(value(flags, "--data-dir"));
        URI client = URI.create(value(flags, "--listen-client-urls").split(",")[0]);
        Files.createDirectories(dataDir);
        LocalBackend backend = new LocalBackend(dataDir);
        V2HttpServer server = new V2HttpServer(backend, null, 10 * 1024 * 1024, 2);
        server.listen(client.getHost(), client.getPort());
        new CountDownLatch(1).await(); // serve until killed
    }

    private static String value(List<String> flags, String name) {
        int at = flags.indexOf(name);
        if (at < 0 || at + 1 >= flags.size()) {
            throw new IllegalArgumentException("missing " + name);
        }
        return flags.get(at + 1);
    }
}
