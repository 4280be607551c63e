package io.cairn.raft.sim;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.CoreFault;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * The shape of one simulated run: cluster size, core tunables, how hostile the network, disks
 * and nemesis are, and how long the fault phase lasts. {@link #forSeed(long)} derives a varied
 * but reproducible profile from the seed alone, so a seed is all a replay needs.
 */
final class SimOptions {
    int nodes = 3;
    /** Extra nodes that start outside the group; the nemesis may add them (and remove voters). */
    int spareNodes = 0;
    /** Virtual time units; a tick is about {@link #tickPeriod} units. */
    long faultPhase = 3_000;
    int tickPeriod = 10;
    /** Each node's tick period is {@code tickPeriod +- tickSkew}. */
    int tickSkew = 0;
    int electionTicks = 10;
    boolean preVote = true;
    boolean checkQuorum = true;
    long maxSizePerMessage = 1 << 20;
    int maxInflightMessages = 256;
    long snapshotEveryEntries = 10_000;
    long entriesKeptAfterSnapshot = 5_000;
    /** Whether the simulated store can tell the term just before its first entry. */
    boolean storageKeepsTermBeforeFirst = false;
    Set<CoreFault> faults = EnumSet.noneOf(CoreFault.class);

    double dropChance = 0;
    double duplicateChance = 0;
    double slowChance = 0;
    int maxDelay = 5;
    int maxSlowDelay = 60;
    int maxPersistDelay = 10;
    /** Chance that each unsynced write, in order, still reaches the disk in a crash. */
    double crashSurviveChance = 0.3;

    int meanProposalInterval = 25;
    int meanReadInterval = 60;
    /** Mean time between nemesis actions; 0 disables the nemesis. */
    int meanNemesisInterval = 250;
    /** Relative weights of the nemesis actions, in {@link Nemesis.Action} order. */
    int[] nemesisWeights = {3, 3, 2, 2, 1, 3, 1, 1, 2, 1};
    /** Chance that a newly elected leader is crashed or isolated soon after winning. */
    double leaderChurnChance = 0;
    int leaderChurnMaxDelay = 20;
    int traceSize = 300;
    long eventBudget = 1_000_000;

    /** A profile drawn from {@code seed}: every knob varies across seeds, the defaults most often. */
    static SimOptions forSeed(long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        SimOptions o = new SimOptions();
        o.nodes = r.nextInt(10) < 6 ? 3 : 5;
        o.tickSkew = r.nextInt(3);
        o.spareNodes = r.nextInt(10) < 3 ? 2 : 0;
        boolean productionDefaults = r.nextBoolean();
        o.preVote = productionDefaults || r.nextBoolean();
        o.checkQuorum = productionDefaults || r.nextBoolean();
        o.maxSizePerMessage = r.nextBoolean() ? 1 << 20 : 40 + r.nextInt(100);
        o.maxInflightMessages = r.nextBoolean() ? 256 : 1 + r.nextInt(4);
        o.snapshotEveryEntries = 5 + r.nextInt(40);
        o.entriesKeptAfterSnapshot = r.nextInt(3) == 0 ? 0 : r.nextInt(10);
        o.storageKeepsTermBeforeFirst = r.nextBoolean();
        o.dropChance = r.nextDouble() * 0.15;
        o.duplicateChance = r.nextDouble() * 0.05;
        o.slowChance = r.nextDouble() * 0.1;
        o.maxDelay = 2 + r.nextInt(8);
        o.maxPersistDelay = 1 + r.nextInt(20);
        o.crashSurviveChance = r.nextDouble() * 0.6;
        o.meanProposalInterval = 10 + r.nextInt(40);
        o.meanNemesisInterval = 100 + r.nextInt(400);
        o.leaderChurnChance = r.nextInt(4) == 0 ? r.nextDouble() * 0.5 : 0;
        return o;
    }

    SimOptions faults(Set<CoreFault> testFaults) {
        this.faults = testFaults.isEmpty() ? EnumSet.noneOf(CoreFault.class) : EnumSet.copyOf(testFaults);
        return this;
    }

    RaftConfig raftConfig(long nodeId) {
        return RaftConfig.builder(nodeId)
                .electionTicks(electionTicks)
                .heartbeatTicks(1)
                .preVote(preVote)
                .checkQuorum(checkQuorum)
                .maxSizePerMessage(maxSizePerMessage)
                .maxInflightMessages(maxInflightMessages)
                .maxInflightBytes(Math.max(maxSizePerMessage, 32L << 20))
                .snapshotEveryEntries(snapshotEveryEntries)
                .entriesKeptAfterSnapshot(entriesKeptAfterSnapshot)
                .testFaults(faults)
                .build();
    }

    @Override
    public String toString() {
        return String.format("nodes=%d+%d preVote=%s checkQuorum=%s maxMsg=%d inflight=%d snapEvery=%d keep=%d"
                        + " termBeforeFirst=%s drop=%.2f dup=%.2f slow=%.2f delay<=%d persist<=%d survive=%.2f"
                        + " churn=%.2f nemesisEvery=%d faults=%s",
                nodes, spareNodes, preVote, checkQuorum, maxSizePerMessage, maxInflightMessages, snapshotEveryEntries,
                entriesKeptAfterSnapshot, storageKeepsTermBeforeFirst, dropChance, duplicateChance, slowChance,
                maxDelay, maxPersistDelay, crashSurviveChance, leaderChurnChance, meanNemesisInterval, faults);
    }
}
