package io.cairn.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;

/** The two v2 keys calls a backup needs: a consistent recursive read, and a create. */
final class V2KeysClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    V2KeysClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The whole tree under the root, read through the quorum (linearizable). */
    JsonNode readAll() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/v2/keys/?recursive=true&sorted=true&quorum=true"))
                .timeout(TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new BackupException("reading the key space failed: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Creates a key or a directory; fails if it already exists (a restore never overwrites). */
    void create(String key, String value, boolean dir, Long ttlSeconds) throws IOException, InterruptedException {
        StringJoiner form = new StringJoiner("&");
        form.add("prevExist=false");
        if (dir) {
            form.add("dir=true");
        } else {
            form.add("value=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        if (ttlSeconds != null) {
            form.add("ttl=" + ttlSeconds);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/v2/keys" + encodePath(key)))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new BackupException("restoring " + key + " failed: " + response.statusCode() + " " + response.body().strip());
        }
    }

    /** Percent-encodes each segment of a key (keys may hold spaces, '?', '%', UTF-8...). */
    static String encodePath(String key) {
        StringBuilder path = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }
}
