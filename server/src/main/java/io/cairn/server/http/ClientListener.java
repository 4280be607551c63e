package io.cairn.server.http;

import io.cairn.http.V2HttpServer;
import io.cairn.raft.node.RaftNode;
import io.cairn.server.config.EtcdUrls;
import io.cairn.server.member.CairnMember;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client API of a member: the v2 HTTP server on every --listen-client-urls address. */
public final class ClientListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientListener.class);
    private final V2HttpServer server;

    private ClientListener(V2HttpServer server) {
        this.server = server;
    }

    public static ClientListener start(CairnMember member, PrometheusMeterRegistry registry) throws InterruptedException {
        RaftNode<?> node = member.node();
        // The two gauges dashboards scrape first (spec 14.7).
        Gauge.builder("etcd_server_has_leader", node, n -> n.leaderId() != 0 ? 1 : 0).register(registry);
        Gauge.builder("etcd_server_is_leader", node, n -> n.isLeader() ? 1 : 0).register(registry);
        V2HttpServer server = new V2HttpServer(new RaftClusterBackend(member), registry,
                V2HttpServer.DEFAULT_MAX_BODY_BYTES, 2);
        List<String> bound = new ArrayList<>();
        try {
            for (String url : member.config().listenClientUrls()) {
                String host = EtcdUrls.host(url);
                InetSocketAddress at = server.listen(host.equals("localhost") ? "127.0.0.1" : host, EtcdUrls.port(url));
                bound.add(at.toString());
            }
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        LOG.info("serving the v2 client API on {}", bound);
        return new ClientListener(server);
    }

    @Override
    public void close() {
        server.close();
    }
}
