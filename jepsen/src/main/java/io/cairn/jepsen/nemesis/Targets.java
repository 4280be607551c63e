package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Which members a fault hits. */
public enum Targets {
    ONE,
    LEADER,
    MAJORITY,
    ALL;

    public static Targets parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public List<NodeProcess> pick(Cluster cluster, Random random) {
        List<NodeProcess> nodes = new ArrayList<>(cluster.nodes());
        Collections.shuffle(nodes, random);
        return switch (this) {
            case ONE -> nodes.subList(0, 1);
            case LEADER -> List.of(cluster.leader().orElse(nodes.get(0)));
            case MAJORITY -> nodes.subList(0, nodes.size() / 2 + 1);
            case ALL -> nodes;
        };
    }

    static String names(List<NodeProcess> nodes) {
        return nodes.stream().map(n -> n.spec().name()).toList().toString();
    }
}
