package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Membership change under load: removes one member (sometimes the leader) through another
 * member's v2 members API, waits for it to notice and exit, wipes its data dir; healing adds it
 * back as a fresh member (same name and peer URL, a new id) started with
 * {@code --initial-cluster-state existing}. At most one member is out at a time, so a majority
 * of the full membership always remains.
 */
public final class MemberChurnNemesis implements Nemesis {
    /** How long a removed member gets to notice its removal and exit by itself. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "member-churn";
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        NodeProcess victim = Targets.ONE.pick(cluster, random).get(0);
        Optional<NodeProcess> leader = cluster.leader();
        String role = leader.isPresent() && leader.get() == victim ? " (the leader)" : "";
        MemberRepair repair = new MemberRepair(cluster);
        boolean removed = repair.membership().remove(victim.spec(), MemberRepair.STEP_LIMIT);
        String injected;
        if (!removed) {
            injected = "member remove " + victim.spec().name() + role + " did not take effect within "
                    + MemberRepair.STEP_LIMIT;
        } else {
            OptionalInt exit = victim.awaitExit(EXIT_LIMIT);
            victim.kill();
            victim.wipeData();
            injected = "member remove " + victim.spec().name() + role + "; "
                    + (exit.isPresent() ? "it exited " + exit.getAsInt() + " by itself"
                            : "still running " + EXIT_LIMIT.toSeconds() + " s later, killed")
                    + "; data dir wiped";
        }
        // A removal that did not show in time may still land: the final restoreAll covers it.
        return Fault.healedWithReport(injected, () -> removed ? repair.addBack(victim) : "nothing to undo");
    }

    @Override
    public void healAll(Cluster cluster) throws Exception {
        new MemberRepair(cluster).restoreAll();
    }
}
