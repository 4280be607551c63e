package io.cairn.server.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.server.ctl.client.ClientException;
import io.cairn.server.ctl.client.GoText;
import io.cairn.server.ctl.client.Member;
import io.cairn.server.ctl.client.V2Client;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cluster-health}: lists the members (no sync), asks each member's client URLs for
 * {@code /health}, prints one line per member and a verdict; exits 5 unless all are healthy.
 */
@Command(name = "cluster-health", description = "check the health of the etcd cluster")
final class ClusterHealthCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    CairnCtl root;

    @Option(names = {"--forever", "-f"}, description = "forever check the health every 10 second until CTRL+C")
    boolean forever;

    @Override
    public Integer call() throws InterruptedException {
        V2Client client = root.rawClient(false);
        List<Member> members;
        try {
            members = client.listMembers();
        } catch (ClientException e) {
            root.out.println("cluster may be unhealthy: failed to list members");
            throw root.fail(ExitCodes.SERVER_ERROR, e);
        }
        HttpClient http = V2Client.newHttpClient(Duration.ofSeconds(5));
        while (true) {
            int healthy = 0;
            for (Member m : members) {
                healthy += checkMember(http, m) ? 1 : 0;
            }
            if (healthy == members.size()) {
                root.out.println("cluster is healthy");
            } else if (healthy == 0) {
                root.out.println("cluster is unavailable");
            } else {
                root.out.println("cluster is degraded");
            }
            if (!forever) {
                return healthy == members.size() ? ExitCodes.SUCCESS : ExitCodes.CLUSTER_NOT_HEALTHY;
            }
            root.out.print("\nnext check after 10 second...\n\n");
            Thread.sleep(10_000); // the documented pace of --forever, not synchronisation
        }
    }

    /** Prints this member's line(s); true if it answered healthy. */
    private boolean checkMember(HttpClient http, Member m) throws InterruptedException {
        if (m.clientUrls().isEmpty()) {
            root.out.println("member " + m.id() + " is unreachable: no available published client urls");
            return false;
        }
        for (String url : m.clientUrls()) {
            String target = url + "/health";
            byte[] body;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(5))
                        .header("User-Agent", "Go-http-client/1.1").GET().build();
                body = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
            } catch (IOException | IllegalArgumentException e) {
                String reason = e instanceof IOException io ? GoText.networkError(URI.create(url), io) : e.getMessage();
                root.out.println("failed to check the health of member " + m.id() + " on " + url + ": Get \"" + target + "\": " + reason);
                continue;
            }
            Boolean verdict = healthVerdict(body);
            if (verdict == null) {
                root.out.println("failed to check the health of member " + m.id() + " on " + url
                        + ": invalid character in health response");
                continue;
            }
            if (verdict) {
                root.out.println("member " + m.id() + " is healthy: got healthy result from " + url);
                return true;
            }
            root.out.println("member " + m.id() + " is unhealthy: got unhealthy result from " + url);
            return false;
        }
        root.out.println("member " + m.id() + " is unreachable: [" + String.join(" ", m.clientUrls()) + "] are all unreachable");
        return false;
    }

    /** {@code "health":"true"} or {@code "health":true} is healthy; null if the body is not JSON. */
    private static Boolean healthVerdict(byte[] body) {
        try {
            JsonNode health = JSON.readTree(body).path("health");
            return health.isBoolean() ? health.asBoolean() : "true".equals(health.asText());
        } catch (IOException | NullPointerException e) {
            return null;
        }
    }
}
