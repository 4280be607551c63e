package io.cairn.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cairn-backup against a loopback endpoint that answers like etcd's v2 keys API. */
class BackupRoundTripTest {
    // A recursive, sorted listing as etcd returns it (hidden keys are never listed).
    private static final String LISTING = "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":["
            + "{\"key\":\"/a dir\",\"dir\":true,\"nodes\":[{\"key\":\"/a dir/k?1\",\"value\":\"v 1\",\"modifiedIndex\":5,\"createdIndex\":5}],"
            + "\"modifiedIndex\":4,\"createdIndex\":4},"
            + "{\"key\":\"/msg\",\"value\":\"hello-world\",\"expiration\":\"2026-11-23T20:00:00Z\",\"ttl\":42,"
            + "\"modifiedIndex\":6,\"createdIndex\":6}]}}\n";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int createStatus = 201;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/keys", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                    + (body.isEmpty() ? "" : " " + body));
            byte[] answer = exchange.getRequestMethod().equals("GET") ? LISTING.getBytes(StandardCharsets.UTF_8)
                    : "{\"action\":\"create\"}\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("GET") ? 200 : createStatus, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private V2KeysClient client() {
        return new V2KeysClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @Test
    void saveReadsThroughTheQuorumAndKeepsTheNewestBackups(@TempDir Path dir) throws Exception {
        for (int hour = 1; hour <= 4; hour++) {
            Clock clock = Clock.fixed(Instant.parse("2026-11-23T0" + hour + ":00:00Z"), ZoneOffset.UTC);
            new BackupWriter(client(), clock).save(dir, 2);
        }

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("cairn-20261123T030000Z.json", "cairn-20261123T040000Z.json");
        }
        assertThat(requests).allMatch(r -> r.equals("GET /v2/keys/?recursive=true&sorted=true&quorum=true"));
        assertThat(Files.readString(dir.resolve("cairn-20261123T040000Z.json"))).contains("\"hello-world\"");
    }

    @Test
    void restoreCreatesParentsFirstWithoutOverwriting(@TempDir Path dir) throws Exception {
        Path backup = new BackupWriter(client(), Clock.systemUTC()).save(dir, 1);
        requests.clear();

        int restored = new BackupRestorer(client()).restore(backup);

        assertThat(restored).isEqualTo(3);
        assertThat(requests).containsExactly(
                "PUT /v2/keys/a%20dir prevExist=false&dir=true",
                "PUT /v2/keys/a%20dir/k%3F1 prevExist=false&value=v+1",
                "PUT /v2/keys/msg prevExist=false&value=hello-world&ttl=42");
    }

    @Test
    void restoreStopsAtTheFirstRefusal(@TempDir Path dir) throws Exception {
        Path backup = new BackupWriter(client(), Clock.systemUTC()).save(dir, 1);
        createStatus = 412;

        assertThatThrownBy(() -> new BackupRestorer(client()).restore(backup))
                .isInstanceOf(BackupException.class).hasMessageContaining("/a dir").hasMessageContaining("412");
    }

    @Test
    void optionsNeedTheirValues() {
        assertThatThrownBy(() -> BackupMain.run(List.of("save", "--endpoints"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackupMain.run(List.of("save", "--endpoints", "http://127.0.0.1:1")))
                .hasMessageContaining("--dir is required");
        assertThatThrownBy(() -> BackupMain.run(List.of("frobnicate", "--endpoints", "http://127.0.0.1:1")))
                .hasMessageContaining("unknown command");
    }
}
