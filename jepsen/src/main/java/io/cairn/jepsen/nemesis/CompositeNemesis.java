package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeSpec;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Several kinds of fault in one run ({@code --nemesis kill-leader,clock-jump}): each injection
 * takes the next kind in turn, and the run lasts until every kind has been injected once, so a
 * short CI run still meets each of them.
 */
public final class CompositeNemesis implements Nemesis {
    private final List<Nemesis> parts;
    private int next;

    public CompositeNemesis(List<Nemesis> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a composite nemesis needs at least one part");
        }
        this.parts = List.copyOf(parts);
    }

    @Override
    public String name() {
        return parts.stream().map(Nemesis::name).collect(Collectors.joining(","));
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        Nemesis part = parts.get(next);
        next = (next + 1) % parts.size();
        return part.inject(cluster, random);
    }

    @Override
    public void beforeStart(Cluster cluster) throws Exception {
        for (Nemesis part : parts) {
            part.beforeStart(cluster);
        }
    }

    @Override
    public MemberLaunch adaptLaunch(NodeSpec node, MemberLaunch launch) throws IOException {
        MemberLaunch adapted = launch;
        for (Nemesis part : parts) {
            adapted = part.adaptLaunch(node, adapted);
        }
        return adapted;
    }

    @Override
    public void setUp(Cluster cluster) throws Exception {
        for (Nemesis part : parts) {
            part.setUp(cluster);
        }
    }

    @Override
    public void healAll(Cluster cluster) throws Exception {
        for (Nemesis part : parts) {
            part.healAll(cluster);
        }
    }

    @Override
    public void tearDown(Cluster cluster) throws Exception {
        for (Nemesis part : parts) {
            part.tearDown(cluster);
        }
    }

    @Override
    public List<String> memberFlags() {
        return parts.stream().flatMap(p -> p.memberFlags().stream()).toList();
    }

    @Override
    public int minimumFaults() {
        return parts.stream().mapToInt(Nemesis::minimumFaults).sum();
    }

    public List<Nemesis> parts() {
        return parts;
    }
}
