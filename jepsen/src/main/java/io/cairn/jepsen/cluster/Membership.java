package io.cairn.jepsen.cluster;

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
import java.util.Optional;

/**
 * The v2 members API (list, remove, add), asked through whichever running member answers, never
 * through the member being changed. Removal and addition are idempotent: each checks the list
 * first, so a request whose answer was lost is not repeated blindly.
 */
public final class Membership {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** One entry of the member list. */
    public record Member(String id, String name, List<String> peerUrls) {
    }

    private final Cluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    public Membership(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The member list as some running member other than {@code excluded} reports it. */
    public Optional<List<Member>> list(NodeSpec excluded) throws InterruptedException {
        for (NodeProcess n : askable(excluded)) {
            Optional<HttpResponse<String>> r = send(n, HttpRequest.newBuilder(members(n)).GET());
            if (r.isPresent() && r.get().statusCode() == 200) {
                return Optional.of(parse(r.get().body()));
            }
        }
        return Optional.empty();
    }

    /** Whether the member list (as another member reports it) holds {@code node}'s peer URL; empty if none answers. */
    public Optional<Boolean> contains(NodeSpec node) throws InterruptedException {
        return list(node).map(members -> find(members, node).isPresent());
    }

    /**
     * Removes {@code node} through another member, retrying until it is gone from the list or
     * {@code timeout} passes.
     *
     * @return whether it is gone
     */
    public boolean remove(NodeSpec node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<List<Member>> members = list(node);
            if (members.isPresent()) {
                Optional<Member> m = find(members.get(), node);
                if (m.isEmpty()) {
                    return true;
                }
                for (NodeProcess n : askable(node)) {
                    URI uri = URI.create(members(n) + "/" + m.get().id());
                    if (send(n, HttpRequest.newBuilder(uri).DELETE()).isPresent()) {
                        break; // answered, whatever it said: the list tells
                    }
                }
            }
            Thread.sleep(300);
        }
        return false;
    }

    /**
     * Adds {@code node}'s peer URL as a new member through another member, retrying until it is
     * in the list or {@code timeout} passes.
     *
     * @return whether it is in the list
     */
    public boolean add(NodeSpec node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "{\"peerURLs\":[\"" + node.peerUrl() + "\"]}";
        while (System.nanoTime() < deadline) {
            Optional<List<Member>> members = list(node);
            if (members.isPresent()) {
                if (find(members.get(), node).isPresent()) {
                    return true;
                }
                for (NodeProcess n : askable(node)) {
                    HttpRequest.Builder post = HttpRequest.newBuilder(members(n))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body));
                    if (send(n, post).isPresent()) {
                        break;
                    }
                }
            }
            Thread.sleep(300);
        }
        return false;
    }

    private List<NodeProcess> askable(NodeSpec excluded) {
        return cluster.nodes().stream().filter(n -> n.isRunning() && !n.spec().equals(excluded)).toList();
    }

    private static URI members(NodeProcess n) {
        return n.spec().clientUrl().resolve("/v2/members");
    }

    private Optional<HttpResponse<String>> send(NodeProcess n, HttpRequest.Builder request) throws InterruptedException {
        try {
            return Optional.of(http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty(); // down, partitioned or slow: ask another
        }
    }

    private static Optional<Member> find(List<Member> members, NodeSpec node) {
        return members.stream().filter(m -> m.peerUrls().contains(node.peerUrl())).findFirst();
    }

    static List<Member> parse(String body) {
        List<Member> out = new ArrayList<>();
        try {
            for (JsonNode m : JSON.readTree(body).path("members")) {
                List<String> peers = new ArrayList<>();
                m.path("peerURLs").forEach(u -> peers.add(u.asText()));
                out.add(new Member(m.path("id").asText(), m.path("name").asText(), peers));
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable member list: " + body, e);
        }
        return out;
    }
}
