package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.util.List;
import java.util.Random;

/** kill -9, then a restart on the same data dir when healed. */
public record KillNemesis(Targets targets) implements Nemesis {

    @Override
    public String name() {
        return "kill-" + targets.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        List<NodeProcess> victims = targets.pick(cluster, random);
        for (NodeProcess n : victims) {
            n.kill();
        }
        return new Fault() {
            @Override
            public String description() {
                return "kill -9 " + Targets.names(victims);
            }

            @Override
            public void heal() throws Exception {
                for (NodeProcess n : victims) {
                    n.start();
                }
            }
        };
    }
}
