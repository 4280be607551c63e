package io.cairn.raft.sim;

import io.cairn.raft.core.CoreFault;
import io.cairn.raft.core.Role;
import java.util.Set;

/**
 * The Raft paper's figure 8, scripted on five simulated nodes with star topologies (only the
 * star's center can gather a majority, so the script decides who may win each election):
 *
 * <ol>
 *   <li>node 1 leads and writes X to itself and node 2 only;</li>
 *   <li>node 5 wins a later term with nodes 3 and 4 and writes its first entry to itself only;</li>
 *   <li>node 1 returns, leads a still later term and brings X to nodes 3 and 4 one entry per
 *       message; the script cuts it off as soon as it considers X committed;</li>
 *   <li>node 5 returns and only it can win, with nodes 3 and 4.</li>
 * </ol>
 *
 * A correct leader counts X as committed only once its own-term entry is on a majority, so in
 * step 4 one of nodes 3 and 4 refuses node 5 and X survives. A leader that commits earlier-term
 * entries by counting replicas lets node 5 win without X: a committed entry is lost. Every wait
 * is bounded; when timing makes a step impossible the scenario ends early without a verdict.
 */
final class Figure8Scenario {
    /** How many steps {@link #script} notes when it runs to the end. */
    static final int STEPS = 4;
    private static final Set<Long> NONE = Set.of();

    private Figure8Scenario() {
    }

    static SimulationResult run(long seed, Set<CoreFault> faults) {
        return Simulation.runScripted(seed, options(seed, faults), Figure8Scenario::script);
    }

    static SimOptions options(long seed, Set<CoreFault> faults) {
        SimOptions o = SimOptions.forSeed(seed).faults(faults);
        o.nodes = 5;
        o.preVote = true;
        o.checkQuorum = true;
        // One entry per append and one append in flight, so "X acknowledged" precedes "new entry sent".
        o.maxSizePerMessage = 40;
        o.maxInflightMessages = 1;
        o.snapshotEveryEntries = 10_000;
        o.dropChance = 0;
        o.duplicateChance = 0;
        o.slowChance = 0;
        o.meanProposalInterval = 0;
        o.meanReadInterval = 0;
        o.meanNemesisInterval = 0;
        o.leaderChurnChance = 0;
        return o;
    }

    private static void script(Simulation sim) {
        Set<Long> all = sim.nodeIds();
        SimNode one = sim.node(1);
        SimNode two = sim.node(2);
        SimNode five = sim.node(5);
        if (!sim.runFor(2_000, () -> sim.currentLeader() != null)) {
            return;
        }
        long warmUp = sim.propose(sim.currentLeader());
        if (!sim.runFor(2_000, () -> everyNodeApplied(sim, warmUp))) {
            return;
        }

        sim.note("step 1: node 1 leads and writes X to node 2 only");
        sim.network().star(1, Set.of(2L, 3L), all);
        if (!sim.runFor(3_000, () -> isLeader(one))) {
            return;
        }
        sim.network().star(1, Set.of(2L), all);
        long x = sim.propose(one);
        if (!sim.runFor(1_000, () -> durableIndexOf(one, x) > 0 && durableIndexOf(two, x) > 0)) {
            return;
        }
        long xIndex = durableIndexOf(one, x);
        one.crash();

        sim.note("step 2: node 5 leads a later term; its first entry stays on node 5");
        sim.network().star(5, Set.of(3L, 4L), all);
        if (!sim.runFor(3_000, () -> isLeader(five))) {
            return;
        }
        sim.network().star(5, NONE, all);
        long fiveTerm = five.status().term();
        if (!sim.runFor(1_000, () -> lastDurableTerm(five) == fiveTerm)) {
            return;
        }
        five.crash();

        sim.note("step 3: node 1 leads again and replicates X (index " + xIndex + ") to nodes 3 and 4");
        one.start();
        sim.network().star(1, Set.of(2L, 3L, 4L), all);
        if (!sim.runFor(3_000, () -> isLeader(one) && one.status().commitIndex() >= xIndex)) {
            return;
        }

        sim.note("step 4: node 1 is cut off at commit " + one.status().commitIndex() + "; node 5 returns");
        sim.network().star(5, Set.of(3L, 4L), all);
        one.crash();
        five.start();
        sim.runFor(3_000, () -> isLeader(five));
    }

    private static boolean isLeader(SimNode node) {
        return node.isUp() && node.status().role() == Role.LEADER;
    }

    private static boolean everyNodeApplied(Simulation sim, long value) {
        for (long id : sim.nodeIds()) {
            if (durableIndexOf(sim.node(id), value) < 0 || sim.node(id).applied() < durableIndexOf(sim.node(id), value)) {
                return false;
            }
        }
        return true;
    }

    private static long lastDurableTerm(SimNode node) {
        SimLog log = node.disk().durable();
        return log.termOrUnknown(log.lastIndex());
    }

    /** Where {@code value} sits in the node's durable log, or -1. */
    private static long durableIndexOf(SimNode node, long value) {
        SimLog log = node.disk().durable();
        for (long i = Math.max(1, log.firstIndex()); i <= log.lastIndex(); i++) {
            if (SimStateMachine.valueOf(log.entryAt(i)) == value) {
                return i;
            }
        }
        return -1;
    }
}
