package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulator over seeds 1..{@code sim.seeds} (default 2000, set by the root
 * pom), or only {@code sim.seed} when given, and fails if any seed breaks a Raft invariant.
 * Prints {@code simulated N seeds, V violations}; each failing seed is printed with its replay
 * command, and replays identically.
 */
class SimulationTest {
    private static final int FULL_REPORTS = 3;

    @Test
    void everySeedKeepsTheRaftInvariants() {
        List<Long> seeds = seeds();
        SimStats total = new SimStats();
        List<SimulationResult> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed : seeds) {
            SimulationResult result = Simulation.run(seed, SimOptions.forSeed(seed));
            total.add(result.stats());
            if (!result.passed()) {
                failures.add(result);
                System.out.println("FAILED seed=" + seed + ": " + result.violation().getMessage());
                System.out.println("  replay: " + replayCommand(seed));
                if (seeds.size() == 1 || failures.size() <= FULL_REPORTS) {
                    System.out.println(result.report());
                }
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("simulated " + seeds.size() + " seeds, " + failures.size() + " violations (" + millis + " ms)");
        System.out.println("  exercised: " + total);
        assertThat(failures).as("seeds that broke a Raft invariant (replay commands above)")
                .extracting(SimulationResult::seed).isEmpty();
    }

    @Test
    void aSeedReplaysIdentically() {
        long seed = seeds().get(0);
        SimulationResult first = Simulation.run(seed, SimOptions.forSeed(seed));
        SimulationResult second = Simulation.run(seed, SimOptions.forSeed(seed));
        assertThat(first.stats().events).isPositive();
        assertThat(second.stats().toString()).isEqualTo(first.stats().toString());
        assertThat(second.finalState()).isEqualTo(first.finalState());
        assertThat(second.history()).isEqualTo(first.history());
        assertThat(String.valueOf(second.violation())).isEqualTo(String.valueOf(first.violation()));
    }

    static List<Long> seeds() {
        String single = System.getProperty("sim.seed", "").trim();
        if (!single.isEmpty()) {
            return List.of(Long.parseLong(single));
        }
        int count = Integer.parseInt(System.getProperty("sim.seeds", "2000").trim());
        List<Long> seeds = new ArrayList<>(count);
        for (long s = 1; s <= count; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    static String replayCommand(long seed) {
        return "mvn -pl raft-core -am test -Dtest=SimulationTest -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=" + seed;
    }
}
