package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.CoreFault;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Negative controls: a core with a deliberate protocol bug must be caught, or the simulator's
 * green runs would prove nothing. Each control runs a bounded number of seeds with the fault
 * switched on and expects a safety violation of the kind the bug causes.
 */
class SimulatorNegativeControlTest {
    private static final int MAX_SEEDS = Integer.getInteger("sim.negativeSeeds", 300);

    @Test
    void catchesVotesGrantedWithoutTheLogCheck() {
        List<SimulationResult> caught = runUntilCaught(seed -> {
            SimOptions o = SimOptions.forSeed(seed).faults(EnumSet.of(CoreFault.GRANT_VOTE_WITHOUT_LOG_CHECK));
            return o;
        });
        report("GRANT_VOTE_WITHOUT_LOG_CHECK", caught);
        assertThat(caught).as("violations found with GRANT_VOTE_WITHOUT_LOG_CHECK").isNotEmpty();
    }

    @Test
    void catchesEarlierTermEntriesCommittedByCounting() {
        List<SimulationResult> caught = runUntilCaught(seed -> {
            SimOptions o = SimOptions.forSeed(seed).faults(EnumSet.of(CoreFault.COMMIT_PREVIOUS_TERM_BY_COUNT));
            // Figure 8 needs a leader whose first entries stay stranded on it, and a later leader
            // that gets old entries to a majority one message (one entry) at a time.
            o.nodes = 5;
            o.maxSizePerMessage = 40;
            o.leaderChurnChance = 0.7;
            o.leaderChurnMaxDelay = 15;
            o.meanNemesisInterval = 60;
            o.nemesisWeights = new int[] {1, 4, 0, 1, 0, 2, 0, 5};
            o.entriesKeptAfterSnapshot = 0;
            return o;
        });
        report("COMMIT_PREVIOUS_TERM_BY_COUNT", caught);
        assertThat(caught).as("violations found with COMMIT_PREVIOUS_TERM_BY_COUNT").isNotEmpty();
    }

    private static List<SimulationResult> runUntilCaught(LongFunction<SimOptions> profile) {
        List<SimulationResult> caught = new ArrayList<>();
        for (long seed = 1; seed <= MAX_SEEDS && caught.size() < 1000; seed++) {
            SimulationResult r = Simulation.run(seed, profile.apply(seed));
            if (!r.passed()) {
                caught.add(r);
            }
        }
        return caught;
    }

    private static void report(String fault, List<SimulationResult> caught) {
        System.out.println(fault + ": " + caught.size() + " of " + MAX_SEEDS + " seeds caught");
        for (SimulationResult r : caught.subList(0, Math.min(10, caught.size()))) {
            System.out.println("  seed=" + r.seed() + " " + r.violation().getMessage());
        }
    }
}
