package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.NodeSpec;
import io.cairn.jepsen.nemesis.proxy.LinkBehaviour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Faults on peer links through userspace proxies (see {@link PeerLinks}): {@code proxy-delay}
 * holds every chunk for 50-300 ms plus up to 200 ms of jitter; {@code proxy-drop} cuts a random
 * slice out of 2-20% of the chunks, which corrupts the HTTP/2 stream (the receiver must notice,
 * and the connection must be torn down and redialled). Either hits one link, every link into a
 * member, or every link out of one, half the time starting from a link of the leader. Healing
 * returns those links to a clean pass-through; the connections stay, so a member must also
 * recover from whatever state they were left in.
 */
public record ProxyNemesis(Mode mode) implements Nemesis {

    /** What the proxies do to the chosen links. */
    public enum Mode {
        DELAY("delay"), DROP("drop");

        private final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    @Override
    public String name() {
        return "proxy-" + mode.label;
    }

    /** Before the members start, so that their first peer connections already go through the proxies. */
    @Override
    public void beforeStart(Cluster cluster) throws Exception {
        PeerLinks.open(cluster);
    }

    @Override
    public Fault inject(Cluster cluster, Random random) {
        PeerLinks all = PeerLinks.of(cluster)
                .orElseThrow(() -> new IllegalStateException(name() + ": the peer links were never opened"));
        // half the time around the leader, whose links carry the appends
        NodeSpec leader = random.nextBoolean() ? cluster.leader().map(NodeProcess::spec).orElse(null) : null;
        List<PeerLinks.Link> chosen = choose(all.links(), leader, random);
        LinkBehaviour behaviour = switch (mode) {
            case DELAY -> LinkBehaviour.delayed(Duration.ofMillis(50 + random.nextInt(251)),
                    Duration.ofMillis(random.nextInt(201)));
            case DROP -> LinkBehaviour.dropping(0.02 + 0.18 * random.nextDouble());
        };
        long damagedBefore = damaged(chosen);
        chosen.forEach(l -> l.proxy().behave(behaviour));
        String links = chosen.stream().map(PeerLinks.Link::label).collect(Collectors.joining(" "));
        return new Fault() {
            @Override
            public String description() {
                String what = behaviour + " on " + links;
                return mode == Mode.DROP ? what + " (" + (damaged(chosen) - damagedBefore) + " chunks cut)" : what;
            }

            @Override
            public void heal() {
                chosen.forEach(l -> l.proxy().behave(LinkBehaviour.CLEAN));
            }
        };
    }

    /** One link, every link into a member, or every link out of one; starting from {@code from} if not null. */
    private static List<PeerLinks.Link> choose(List<PeerLinks.Link> links, NodeSpec from, Random random) {
        List<PeerLinks.Link> pivots = from == null ? links : links.stream().filter(l -> l.from().equals(from)).toList();
        PeerLinks.Link pivot = pivots.get(random.nextInt(pivots.size()));
        List<PeerLinks.Link> chosen = new ArrayList<>();
        switch (random.nextInt(3)) {
            case 0 -> chosen.add(pivot);
            case 1 -> links.stream().filter(l -> l.to().equals(pivot.to())).forEach(chosen::add);
            default -> links.stream().filter(l -> l.from().equals(pivot.from())).forEach(chosen::add);
        }
        return chosen;
    }

    private static long damaged(List<PeerLinks.Link> links) {
        return links.stream().mapToLong(l -> l.proxy().damagedChunks()).sum();
    }

    /** Clean links and no redirect rules; connections already proxied stay until {@link #tearDown}. */
    @Override
    public void healAll(Cluster cluster) throws Exception {
        PeerLinks links = PeerLinks.of(cluster).orElse(null);
        if (links != null) {
            links.allClean();
            links.removeRules();
        }
    }

    @Override
    public void tearDown(Cluster cluster) {
        PeerLinks.close(cluster);
    }
}
