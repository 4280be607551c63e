package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@code partition-clients}: the harness's clients lose one or more members (never all), in
 * both directions, on the client port only; peer traffic is untouched, so the cluster keeps
 * its quorum and serves through the others. Requests to a cut member time out: a write that
 * may have been sent is {@code info}, a read or an unsent write {@code fail}.
 */
public final class ClientPartitionNemesis implements FirewallNemesis {

    @Override
    public String name() {
        return "partition-clients";
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        List<NodeProcess> nodes = new ArrayList<>(cluster.nodes());
        Collections.shuffle(nodes, random);
        List<NodeProcess> cut = new ArrayList<>(nodes.subList(0, 1 + random.nextInt(nodes.size() - 1)));
        // half the time the leader is among them: its clients must move to followers
        if (random.nextBoolean()) {
            cluster.leader().filter(l -> !cut.contains(l)).ifPresent(l -> cut.set(0, l));
        }
        for (NodeProcess n : cut) {
            Firewall.dropPort(n.spec().ip(), n.spec().clientPort());
        }
        return new Fault() {
            @Override
            public String description() {
                return "clients -x- " + Targets.names(cut) + " (client port only)";
            }

            @Override
            public void heal() throws Exception {
                Firewall.heal();
            }
        };
    }
}
