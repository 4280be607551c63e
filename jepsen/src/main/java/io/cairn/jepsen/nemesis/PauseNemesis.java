package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.util.List;
import java.util.Random;

/** SIGSTOP (longer than an election timeout, by the schedule), SIGCONT when healed. */
public record PauseNemesis(Targets targets) implements Nemesis {

    @Override
    public String name() {
        return "pause-" + targets.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Fault inject(Cluster cluster, Random random) {
        List<NodeProcess> victims = targets.pick(cluster, random);
        victims.forEach(NodeProcess::pause);
        return new Fault() {
            @Override
            public String description() {
                return "SIGSTOP " + Targets.names(victims);
            }

            @Override
            public void heal() {
                victims.forEach(NodeProcess::resume);
            }
        };
    }
}
