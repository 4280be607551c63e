package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.NodeProcess;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * kill -9 one member (never more), damage the newest segment of its Raft log, restart it.
 * {@code corrupt-tail} cuts the segment at a random offset near the end of its records (a torn
 * write: the member is expected to cut off the incomplete record and start); {@code bitflip}
 * flips a random bit near the end of its records (a complete record that fails its checksum may
 * have been acknowledged, so the member is expected to refuse to start). A member that refuses
 * is repaired as an operator would: removed, wiped, added back, started with
 * {@code --initial-cluster-state existing}. The fault's description says which happened.
 */
public final class LogDamageNemesis implements Nemesis {

    /** What is done to the segment. */
    public enum Mode {
        CORRUPT_TAIL("corrupt-tail"), BITFLIP("bitflip");

        private final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private final Mode mode;

    public LogDamageNemesis(Mode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return mode.label;
    }

    @Override
    public Fault inject(Cluster cluster, Random random) throws Exception {
        NodeProcess victim = Targets.ONE.pick(cluster, random).get(0);
        victim.kill();
        Optional<Path> segment = SegmentDamage.newestSegment(victim.spec().dataDir());
        String damage = segment.isEmpty() ? "no log segment found"
                : mode == Mode.CORRUPT_TAIL ? SegmentDamage.cutTail(segment.get(), random)
                : SegmentDamage.flipBit(segment.get(), random);
        String injected = "kill -9 " + victim.spec().name() + ", " + damage;
        MemberRepair repair = new MemberRepair(cluster);
        return Fault.healedWithReport(injected, () -> repair.restartOrReplace(victim));
    }

    @Override
    public void healAll(Cluster cluster) throws Exception {
        new MemberRepair(cluster).restoreAll();
    }
}
