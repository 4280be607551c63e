package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Picks endpoints by role, asking each member's /v2/stats/self (etcd and Cairn answer alike). */
final class Targets {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Targets() {
    }

    static List<URI> select(List<URI> endpoints, String target) throws IOException, InterruptedException {
        if (target.equals("all")) {
            return endpoints;
        }
        List<URI> leaders = new ArrayList<>();
        List<URI> followers = new ArrayList<>();
        for (URI endpoint : endpoints) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/v2/stats/self"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode self = JSON.readTree(r.body());
            (self.path("state").asText().equals("StateLeader") ? leaders : followers).add(endpoint);
        }
        List<URI> chosen = switch (target) {
            case "leader" -> leaders;
            case "followers" -> followers;
            case "follower" -> followers.isEmpty() ? followers : followers.subList(0, 1);
            default -> throw new IllegalArgumentException("--target is all, leader, follower or followers");
        };
        if (chosen.isEmpty()) {
            throw new IllegalStateException("no " + target + " among " + endpoints);
        }
        return chosen;
    }
}
