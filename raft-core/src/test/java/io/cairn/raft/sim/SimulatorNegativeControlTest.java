package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.CoreFault;
import io.cairn.raft.sim.InvariantViolation.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Negative controls: a core with a deliberate protocol bug must be caught, or the simulator's
 * green runs would prove nothing. Each control runs a bounded number of seeds with the fault
 * switched on and expects a safety violation; the scripted figure-8 scenario also runs with a
 * correct core, where it must reach its last step and stay safe.
 */
class SimulatorNegativeControlTest {
    private static final int RANDOM_SEEDS = Integer.getInteger("sim.negativeSeeds", 100);
    private static final int FIGURE_8_SEEDS = 20;
    private static final int ENOUGH = 5;
    private static final Set<Kind> SAFETY = EnumSet.of(Kind.ELECTION_SAFETY, Kind.LOG_MATCHING,
            Kind.LEADER_COMPLETENESS, Kind.STATE_MACHINE_SAFETY, Kind.COMMIT_MONOTONICITY, Kind.SNAPSHOT,
            Kind.STALE_READ, Kind.ACKNOWLEDGED_WRITE_LOST);

    @Test
    void catchesVotesGrantedWithoutTheLogCheck() {
        List<SimulationResult> caught = new ArrayList<>();
        int seeds = 0;
        for (long seed = 1; seed <= RANDOM_SEEDS && caught.size() < ENOUGH; seed++) {
            seeds++;
            SimOptions options = SimOptions.forSeed(seed).faults(EnumSet.of(CoreFault.GRANT_VOTE_WITHOUT_LOG_CHECK));
            SimulationResult r = Simulation.run(seed, options);
            if (!r.passed() && SAFETY.contains(r.violation().kind())) {
                caught.add(r);
            }
        }
        report("GRANT_VOTE_WITHOUT_LOG_CHECK (random faults)", caught, seeds);
        assertThat(caught).as("safety violations with GRANT_VOTE_WITHOUT_LOG_CHECK in %d seeds", seeds).isNotEmpty();
    }

    @Test
    void catchesEarlierTermEntriesCommittedByCountingInFigure8() {
        List<SimulationResult> caught = new ArrayList<>();
        for (long seed = 1; seed <= FIGURE_8_SEEDS; seed++) {
            SimulationResult r = Figure8Scenario.run(seed, EnumSet.of(CoreFault.COMMIT_PREVIOUS_TERM_BY_COUNT));
            if (!r.passed()) {
                caught.add(r);
            }
        }
        report("COMMIT_PREVIOUS_TERM_BY_COUNT (figure 8)", caught, FIGURE_8_SEEDS);
        assertThat(caught).as("figure-8 runs caught with COMMIT_PREVIOUS_TERM_BY_COUNT").isNotEmpty()
                .allSatisfy(r -> assertThat(r.violation().kind()).isIn(SAFETY));
    }

    /** The same script with the correct commit rule: it must run to its last step and stay safe. */
    @Test
    void figure8PassesWithACorrectCore() {
        List<SimulationResult> failed = new ArrayList<>();
        int completed = 0;
        for (long seed = 1; seed <= FIGURE_8_SEEDS; seed++) {
            SimulationResult r = Figure8Scenario.run(seed, Set.of());
            if (!r.passed()) {
                failed.add(r);
            }
            if (r.stats().scriptSteps == Figure8Scenario.STEPS) {
                completed++;
            }
        }
        report("figure 8 with a correct core (" + completed + " reached step 4)", failed, FIGURE_8_SEEDS);
        failed.stream().findFirst().ifPresent(r -> System.out.println(r.report()));
        assertThat(failed).extracting(SimulationResult::seed).isEmpty();
        assertThat(completed).as("runs that reached step 4").isGreaterThanOrEqualTo(FIGURE_8_SEEDS / 2);
    }

    private static void report(String what, List<SimulationResult> flagged, int seeds) {
        System.out.println(what + ": " + flagged.size() + " of " + seeds + " seeds flagged");
        for (SimulationResult r : flagged.subList(0, Math.min(5, flagged.size()))) {
            System.out.println("  seed=" + r.seed() + " " + r.violation().getMessage());
        }
    }
}
