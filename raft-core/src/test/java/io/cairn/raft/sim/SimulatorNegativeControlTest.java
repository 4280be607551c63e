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
