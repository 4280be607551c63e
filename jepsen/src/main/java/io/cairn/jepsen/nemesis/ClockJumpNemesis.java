package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.NodeSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Steps the wall clocks of one or more members (the leader among them half of the time) forward
 * or backward by seconds to minutes, each by its own amount; healing steps them back to real time.
 * A correct member is indifferent: nothing that decides safety may read the wall clock.
 */
public final class ClockJumpNemesis implements Nemesis {
    private static final long[][] MAGNITUDES = {{1, 10}, {20, 90}, {120, 600}};

    @Override
    public String name() {
        return "clock-jump";
    }

    @Override
    public MemberLaunch adaptLaunch(NodeSpec node, MemberLaunch launch) throws IOException {
        return FakeClock.preload(node, launch);
    }

    @Override
    public Fault inject(Cluster cluster, Random random) {
        List<NodeProcess> victims = victims(cluster, random);
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (NodeProcess n : victims) {
            long offset = offset(random);
            FakeClock.set(n.spec(), offset);
            offsets.put(n.spec().name(), offset);
        }
        String description = "clock jump " + offsets.entrySet().stream()
                .map(e -> e.getKey() + " " + FakeClock.describe(e.getValue())).collect(Collectors.joining(", "));
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() {
                victims.forEach(n -> FakeClock.set(n.spec(), 0));
            }
        };
    }

    @Override
    public void healAll(Cluster cluster) {
        cluster.nodes().forEach(n -> FakeClock.set(n.spec(), 0));
    }

    /** One to all members, in random order; the known leader is put first half of the time. */
    static List<NodeProcess> victims(Cluster cluster, Random random) {
        List<NodeProcess> nodes = new ArrayList<>(cluster.nodes());
        Collections.shuffle(nodes, random);
        if (random.nextBoolean()) {
            cluster.leader().ifPresent(leader -> {
                nodes.remove(leader);
                nodes.add(0, leader);
            });
        }
        return List.copyOf(nodes.subList(0, 1 + random.nextInt(nodes.size())));
    }

    /** A signed offset: a few seconds, about a minute, or several minutes. */
    private static long offset(Random random) {
        long[] range = MAGNITUDES[random.nextInt(MAGNITUDES.length)];
        long magnitude = range[0] + (long) random.nextInt((int) (range[1] - range[0] + 1));
        return random.nextBoolean() ? magnitude : -magnitude;
    }
}
