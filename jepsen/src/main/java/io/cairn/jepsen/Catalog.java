package io.cairn.jepsen;

import io.cairn.jepsen.nemesis.ClientPartitionNemesis;
import io.cairn.jepsen.nemesis.ClockJumpNemesis;
import io.cairn.jepsen.nemesis.ClockStrobeNemesis;
import io.cairn.jepsen.nemesis.CompositeNemesis;
import io.cairn.jepsen.nemesis.FsyncErrorNemesis;
import io.cairn.jepsen.nemesis.KillNemesis;
import io.cairn.jepsen.nemesis.LogDamageNemesis;
import io.cairn.jepsen.nemesis.MemberChurnNemesis;
import io.cairn.jepsen.nemesis.Nemesis;
import io.cairn.jepsen.nemesis.PartitionNemesis;
import io.cairn.jepsen.nemesis.PauseNemesis;
import io.cairn.jepsen.nemesis.ProxyNemesis;
import io.cairn.jepsen.nemesis.SnapshotStressNemesis;
import io.cairn.jepsen.nemesis.Targets;
import io.cairn.jepsen.workload.AppendWorkload;
import io.cairn.jepsen.workload.CasRegisterWorkload;
import io.cairn.jepsen.workload.QueueWorkload;
import io.cairn.jepsen.workload.VersionedRegisterWorkload;
import io.cairn.jepsen.workload.WatchWorkload;
import io.cairn.jepsen.workload.Workload;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Workloads and nemeses by name. */
final class Catalog {
    static final List<String> WORKLOADS = List.of("cas-register", "versioned-register", "list-append", "queue", "watch");
    static final List<String> NEMESES = List.of("none", "kill-one", "kill-leader", "kill-majority", "kill-all",
            "pause-leader", "pause-one", "partition-leader", "partition-majority", "partition-one-way",
            "proxy-delay", "proxy-drop", "partition-clients",
            "corrupt-tail", "bitflip", "snapshot-stress", "member-churn",
            "clock-jump", "clock-strobe", "fsync-error");

    private Catalog() {
    }

    static Workload workload(String name, String prefix, int nodes) {
        return switch (name) {
            case "cas-register" -> new CasRegisterWorkload(prefix, 150, nodes, Duration.ofSeconds(60));
            case "list-append" -> new AppendWorkload(prefix, 4);
            case "queue" -> new QueueWorkload(prefix);
            case "watch" -> new WatchWorkload(prefix, nodes, 2 * nodes);
            case "versioned-register" -> new VersionedRegisterWorkload(prefix, 150, Duration.ofSeconds(60));
            default -> throw new IllegalArgumentException("unknown workload " + name + "; one of " + WORKLOADS);
        };
    }

    /** A nemesis by name, or several joined by commas (taken in turn, see {@link CompositeNemesis}). */
    static Optional<Nemesis> nemesis(String spec) {
        if (spec.equals("none")) {
            return Optional.empty();
        }
        List<Nemesis> parts = Arrays.stream(spec.split(",")).map(String::strip).map(Catalog::single).toList();
        return Optional.of(parts.size() == 1 ? parts.get(0) : new CompositeNemesis(parts));
    }

    private static Nemesis single(String name) {
        switch (name) {
            case "corrupt-tail":
                return new LogDamageNemesis(LogDamageNemesis.Mode.CORRUPT_TAIL);
            case "bitflip":
                return new LogDamageNemesis(LogDamageNemesis.Mode.BITFLIP);
            case "snapshot-stress":
                return new SnapshotStressNemesis();
            case "member-churn":
                return new MemberChurnNemesis();
            default:
                break;
        }
        int dash = name.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("unknown nemesis " + name + "; one of " + NEMESES);
        }
        String kind = name.substring(0, dash);
        String target = name.substring(dash + 1);
        return switch (kind) {
            case "kill" -> new KillNemesis(Targets.parse(target));
            case "pause" -> new PauseNemesis(Targets.parse(target));
            case "partition" -> target.equals("clients") ? new ClientPartitionNemesis() : new PartitionNemesis(switch (target) {
                case "leader" -> PartitionNemesis.Mode.ISOLATE_LEADER;
                case "majority" -> PartitionNemesis.Mode.MAJORITY_MINORITY;
                case "one-way" -> PartitionNemesis.Mode.ONE_WAY;
                default -> throw new IllegalArgumentException("unknown partition " + target);
            });
            case "proxy" -> new ProxyNemesis(switch (target) {
                case "delay" -> ProxyNemesis.Mode.DELAY;
                case "drop" -> ProxyNemesis.Mode.DROP;
                default -> throw new IllegalArgumentException("unknown proxy fault " + target);
            });
            case "clock" -> switch (target) {
                case "jump" -> new ClockJumpNemesis();
                case "strobe" -> new ClockStrobeNemesis();
                default -> throw new IllegalArgumentException("unknown clock fault " + name + "; one of " + NEMESES);
            };
            case "fsync" -> {
                if (!target.equals("error")) {
                    throw new IllegalArgumentException("unknown nemesis " + name + "; one of " + NEMESES);
                }
                yield new FsyncErrorNemesis();
            }
            default -> throw new IllegalArgumentException("unknown nemesis " + name + "; one of " + NEMESES);
        };
    }

    /**
     * The CI profile: every workload at least once and every fault at least once, short runs.
     * Pairs chosen so that the durability-sensitive faults meet the durability workloads.
     */
    static List<String[]> quickPairs() {
        return List.of(
                new String[] {"cas-register", "partition-leader,proxy-delay,proxy-drop"},
                new String[] {"cas-register", "pause-leader,snapshot-stress,clock-jump"},
                new String[] {"list-append", "kill-all,corrupt-tail,fsync-error"},
                new String[] {"list-append", "partition-one-way,bitflip"},
                new String[] {"queue", "kill-leader"},
                new String[] {"queue", "partition-majority,partition-clients"},
                new String[] {"versioned-register", "kill-majority,member-churn,clock-strobe"},
                new String[] {"watch", "kill-one,pause-one"});
    }

    /**
     * A negative control: a deliberately broken server ({@code --unsafe-negative-control=control})
     * and the test that must report it INVALID.
     *
     * @param seconds chaos time of the run
     */
    record ControlRun(String control, String workload, String nemesis, int seconds) {
        String pair() {
            return workload + "+" + nemesis;
        }
    }

    /**
     * The negative-controls profile: each control with the pair that catches it nearly every run,
     * short enough that the three runs fit in about three minutes on two cores.
     * <ul>
     *   <li>stale-quorum-reads: the isolated old leader keeps answering quorum reads from its
     *   own state while the majority elects a new leader and takes writes (workers talk to every
     *   member), so the register's reads are not linearizable;</li>
     *   <li>ack-before-persist: killing every member loses the acknowledged appends still in
     *   process memory; the final read misses them;</li>
     *   <li>apply-twice: every POST creates two keys with the same value, a duplicate in the
     *   queue.</li>
     * </ul>
     */
    static List<ControlRun> negativeControls() {
        return List.of(
                new ControlRun("stale-quorum-reads", "cas-register", "partition-leader", 15),
                new ControlRun("ack-before-persist", "list-append", "kill-all", 15),
                new ControlRun("apply-twice", "queue", "kill-one", 10));
    }
}
