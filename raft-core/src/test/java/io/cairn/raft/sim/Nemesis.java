package io.cairn.raft.sim;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.ProposeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Injects faults during a run's fault phase: crashes and restarts, symmetric partitions (random
 * split or the leader alone), one-way link cuts, healing, and changes of the drop rate.
 */
final class Nemesis {
    /** The faults, in the order of {@link SimOptions#nemesisWeights}. */
    enum Action { CRASH, RESTART, PARTITION, ISOLATE_LEADER, ONE_WAY, HEAL, DROP_RATE, STAR, CHANGE_MEMBERSHIP, TRANSFER_LEADERSHIP }

    /** Never fewer voters than this, so a crash or two does not end all progress. */
    private static final int MIN_VOTERS = 3;

    private final Simulation sim;
    private final Random random;
    private final int[] weights;
    private final int totalWeight;
    /** Every node that was ever proposed as a member: ids are never reused after removal. */
    private final Set<Long> everMember;

    Nemesis(Simulation sim, Random random, int[] weights, Set<Long> founders) {
        this.sim = sim;
        this.everMember = new TreeSet<>(founders);
        this.random = random;
        this.weights = weights.clone();
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        this.totalWeight = total;
    }

    Action pick() {
        int roll = random.nextInt(totalWeight);
        for (Action a : Action.values()) {
            roll -= weights[a.ordinal()];
            if (roll < 0) {
                return a;
            }
        }
        throw new IllegalStateException("weights do not cover the roll");
    }

    /** Promotes a learner, adds a fresh node (as learner or voter), or removes a voter, via the leader. */
    private String changeMembership() {
        SimNode leader = sim.currentLeader();
        if (leader == null) {
            return "membership: no leader";
        }
        ClusterConfig config = leader.status().config();
        List<Long> fresh = new ArrayList<>();
        for (long id : sim.nodeIds()) {
            if (!everMember.contains(id)) {
                fresh.add(id);
            }
        }
        ConfigChange change;
        int roll = random.nextInt(3);
        if (roll == 0 && !config.learners().isEmpty()) {
            change = new ConfigChange(ConfigChange.Type.ADD_VOTER, config.learners().iterator().next(), null);
        } else if (roll == 1 && !fresh.isEmpty()) {
            long id = fresh.get(random.nextInt(fresh.size()));
            everMember.add(id);
            ConfigChange.Type type = random.nextBoolean() ? ConfigChange.Type.ADD_LEARNER : ConfigChange.Type.ADD_VOTER;
            change = new ConfigChange(type, id, null);
        } else if (config.voters().size() > MIN_VOTERS) {
            List<Long> voters = new ArrayList<>(config.voters());
            change = new ConfigChange(ConfigChange.Type.REMOVE_NODE, voters.get(random.nextInt(voters.size())), null);
        } else {
            return "membership: nothing to change in " + config;
        }
        ProposeResult result = leader.proposeConfigChange(change);
        return "membership: " + change + " on leader " + leader.id() + ": " + result;
    }

    /** Cuts off a freshly elected leader, by a crash or by isolating it; returns a description. */
    String dethrone(SimNode leader) {
        if (!leader.isUp()) {
            return "dethrone " + leader.id() + ": already down";
        }
        if (random.nextBoolean()) {
            leader.crash();
            return "dethrone: crash new leader " + leader.id();
        }
        sim.network().partition(Set.of(leader.id()), sim.nodeIds());
        sim.stats().partitions++;
        return "dethrone: isolate new leader " + leader.id();
    }

    /** Performs {@code action}; returns a description for the trace. */
    String act(Action action) {
        SimNetwork network = sim.network();
        switch (action) {
            case CRASH -> {
                List<SimNode> up = sim.liveNodes();
                if (up.isEmpty()) {
                    return "crash: nobody is up";
                }
                SimNode leader = sim.currentLeader();
                SimNode victim = leader != null && random.nextBoolean() ? leader : up.get(random.nextInt(up.size()));
                victim.crash();
                return "crash " + victim.id();
            }
            case RESTART -> {
                List<SimNode> down = sim.downNodes();
                if (down.isEmpty()) {
                    return "restart: nobody is down";
                }
                SimNode node = down.get(random.nextInt(down.size()));
                node.start();
                return "restart " + node.id();
            }
            case PARTITION -> {
                Set<Long> side = new TreeSet<>();
                for (long id : sim.nodeIds()) {
                    if (random.nextBoolean()) {
                        side.add(id);
                    }
                }
                network.partition(side, sim.nodeIds());
                sim.stats().partitions++;
                return "partition " + side + " from the rest";
            }
            case ISOLATE_LEADER -> {
                SimNode leader = sim.currentLeader();
                if (leader == null) {
                    return "isolate leader: no leader";
                }
                network.partition(Set.of(leader.id()), sim.nodeIds());
                sim.stats().partitions++;
                return "isolate leader " + leader.id();
            }
            case ONE_WAY -> {
                List<Long> ids = new ArrayList<>(sim.nodeIds());
                long from = ids.remove(random.nextInt(ids.size()));
                long to = ids.get(random.nextInt(ids.size()));
                network.cutOneWay(from, to);
                sim.stats().partitions++;
                return "cut " + from + "->" + to;
            }
            case HEAL -> {
                network.healPartitions();
                return "heal partitions";
            }
            case DROP_RATE -> {
                double chance = random.nextDouble() * 0.3;
                network.setDropChance(chance);
                return String.format("drop rate %.2f", chance);
            }
            case STAR -> {
                List<Long> ids = new ArrayList<>(sim.nodeIds());
                long center = ids.remove(random.nextInt(ids.size()));
                Set<Long> leaves = new TreeSet<>();
                int wanted = ids.size() / 2 + random.nextInt(ids.size() - ids.size() / 2 + 1);
                while (leaves.size() < wanted) {
                    leaves.add(ids.get(random.nextInt(ids.size())));
                }
                network.star(center, leaves, sim.nodeIds());
                sim.stats().partitions++;
                return "star around " + center + " with " + leaves;
            }
            case CHANGE_MEMBERSHIP -> {
                return changeMembership();
            }
            case TRANSFER_LEADERSHIP -> {
                SimNode leader = sim.currentLeader();
                if (leader == null) {
                    return "transfer: no leader";
                }
                List<Long> voters = new ArrayList<>(leader.status().config().voters());
                long target = voters.get(random.nextInt(voters.size()));
                // Sometimes ask a follower, which forwards the request to the leader.
                List<SimNode> up = sim.liveNodes();
                SimNode asked = random.nextBoolean() ? leader : up.get(random.nextInt(up.size()));
                asked.transferLeadership(target);
                return "transfer leadership to " + target + " (asked " + asked.id() + ")";
            }
            default -> throw new IllegalStateException("unknown action " + action);
        }
    }
}
