package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Network partitions between members with iptables (members bind their own address for
 * outgoing peer connections, so rules on source and destination match):
 * isolate the leader, split a minority from a majority, or cut one direction only.
 */
public record PartitionNemesis(Mode mode) implements FirewallNemesis {

    /** The shape of the partition. */
    public enum Mode {
        ISOLATE_LEADER("leader"), MAJORITY_MINORITY("majority"), ONE_WAY("one-way");

        private final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    @Override
    public String name() {
        return "partition-" + mode.label;
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        List<NodeProcess> nodes = new ArrayList<>(cluster.nodes());
        Collections.shuffle(nodes, random);
        List<NodeProcess> minority;
        if (mode == Mode.ISOLATE_LEADER) {
            NodeProcess leader = cluster.leader().orElse(nodes.get(0));
            minority = List.of(leader);
        } else {
            minority = nodes.subList(0, (nodes.size() - 1) / 2);
        }
        List<NodeProcess> rest = nodes.stream().filter(n -> !minority.contains(n)).toList();
        for (NodeProcess a : minority) {
            for (NodeProcess b : rest) {
                Firewall.drop(b.spec().ip(), a.spec().ip());
                if (mode != Mode.ONE_WAY) {
                    Firewall.drop(a.spec().ip(), b.spec().ip());
                }
            }
        }
        String shape = Targets.names(minority) + (mode == Mode.ONE_WAY ? " <-x- " : " -x- ") + Targets.names(rest);
        return new Fault() {
            @Override
            public String description() {
                return "partition " + shape;
            }

            @Override
            public void heal() throws Exception {
                Firewall.heal();
            }
        };
    }
}
