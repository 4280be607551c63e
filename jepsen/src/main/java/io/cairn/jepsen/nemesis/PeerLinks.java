package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.NodeSpec;
import io.cairn.jepsen.nemesis.proxy.LinkBehaviour;
import io.cairn.jepsen.nemesis.proxy.LinkProxy;
import io.cairn.jepsen.nemesis.proxy.SourcePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LinkProxy} on every directed peer link of a cluster (member a dialling member b's
 * peer port), and the iptables {@code nat} rules that send the link through it: in a chain of
 * our own hooked into OUTPUT, a connection from a's address to b's peer port is redirected to
 * the link's proxy port on b's address. The proxy dials b from a's address too, but from a port
 * the rules skip, so b still sees a, and partition rules on addresses still cut the link.
 *
 * <p>Several nemeses of one run share the links of their cluster (see {@link #open}).
 */
final class PeerLinks {
    static final String CHAIN = "CAIRNPROXY";
    /** Where proxies dial from; below the kernel's ephemeral range, which members' sockets use. */
    static final SourcePorts SOURCE_PORTS = new SourcePorts(20000, 20999);
    /** The proxy of link i -> j listens on j's address, port FIRST_PROXY_PORT + 100 i + j. */
    static final int FIRST_PROXY_PORT = 21000;

    private static final Map<Cluster, PeerLinks> OPEN = new IdentityHashMap<>();

    /** One directed link and its proxy. */
    record Link(NodeSpec from, NodeSpec to, int proxyPort, LinkProxy proxy) {
        String label() {
            return from.name() + "->" + to.name();
        }
    }

    private final List<Link> links;
    private boolean rulesInstalled;

    private PeerLinks(List<Link> links) {
        this.links = List.copyOf(links);
    }

    /** The links of {@code cluster}: started with their redirect rules on the first call. */
    static synchronized PeerLinks open(Cluster cluster) throws IOException, InterruptedException {
        PeerLinks existing = OPEN.get(cluster);
        if (existing != null) {
            return existing;
        }
        List<NodeSpec> specs = cluster.nodes().stream().map(NodeProcess::spec).toList();
        if (specs.size() > 99) {
            throw new IllegalArgumentException("at most 99 members have proxy ports");
        }
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            for (int j = 0; j < specs.size(); j++) {
                if (i != j) {
                    links.add(link(specs.get(i), specs.get(j), FIRST_PROXY_PORT + 100 * i + j, 31L * i + j));
                }
            }
        }
        PeerLinks opened = new PeerLinks(links);
        try {
            for (Link l : links) {
                l.proxy().start();
            }
            opened.installRules();
        } catch (IOException | RuntimeException | InterruptedException e) {
            opened.close();
            throw e;
        }
        OPEN.put(cluster, opened);
        return opened;
    }

    private static Link link(NodeSpec from, NodeSpec to, int port, long seed) throws IOException {
        InetAddress target = InetAddress.getByName(to.ip());
        LinkProxy proxy = new LinkProxy(from.name() + "->" + to.name(), new InetSocketAddress(target, port),
                InetAddress.getByName(from.ip()), SOURCE_PORTS, new InetSocketAddress(target, to.peerPort()), seed);
        return new Link(from, to, port, proxy);
    }

    /** The links of {@code cluster}, if some nemesis opened them. */
    static synchronized Optional<PeerLinks> of(Cluster cluster) {
        return Optional.ofNullable(OPEN.get(cluster));
    }

    /** Closes the links of {@code cluster} (rules, proxies and their connections), if open. */
    static synchronized void close(Cluster cluster) {
        PeerLinks links = OPEN.remove(cluster);
        if (links != null) {
            links.close();
        }
    }

    List<Link> links() {
        return links;
    }

    /** Every link back to a clean pass-through. */
    void allClean() {
        links.forEach(l -> l.proxy().behave(LinkBehaviour.CLEAN));
    }

    /**
     * Removes the redirect rules: new connections go straight to the member; those already
     * proxied stay on their (clean) proxy until they close or the links are closed.
     */
    synchronized void removeRules() throws IOException, InterruptedException {
        Firewall.run(List.of("iptables", "-w", "-t", "nat", "-F", CHAIN), true);
        Firewall.run(List.of("iptables", "-w", "-t", "nat", "-D", "OUTPUT", "-j", CHAIN), true);
        Firewall.run(List.of("iptables", "-w", "-t", "nat", "-X", CHAIN), true);
        rulesInstalled = false;
    }

    private synchronized void installRules() throws IOException, InterruptedException {
        removeRules(); // leftovers of a run that died
        Firewall.run(List.of("iptables", "-w", "-t", "nat", "-N", CHAIN), false);
        Firewall.run(List.of("iptables", "-w", "-t", "nat", "-I", "OUTPUT", "1", "-j", CHAIN), false);
        rulesInstalled = true;
        String skipped = SOURCE_PORTS.first() + ":" + SOURCE_PORTS.last();
        for (Link l : links) {
            Firewall.run(List.of("iptables", "-w", "-t", "nat", "-A", CHAIN, "-p", "tcp",
                    "-s", l.from().ip(), "-d", l.to().ip(), "--dport", String.valueOf(l.to().peerPort()),
                    "!", "--sport", skipped,
                    "-j", "DNAT", "--to-destination", l.to().ip() + ":" + l.proxyPort()), false);
        }
    }

    private void close() {
        try {
            if (rulesInstalled) {
                removeRules();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            links.forEach(l -> l.proxy().close());
        }
    }
}
