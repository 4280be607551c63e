/**
 * A deterministic simulator for the pure Raft core.
 *
 * <p>{@link io.cairn.raft.sim.Simulation} runs N {@link io.cairn.raft.core.RaftCore}s on a virtual
 * clock ({@link io.cairn.raft.sim.EventQueue}); each {@link io.cairn.raft.sim.SimNode} follows
 * {@link io.cairn.raft.core.Ready}'s contract with asynchronous persistence on a
 * {@link io.cairn.raft.sim.SimDisk} that loses unsynced writes in a crash. The network
 * ({@link io.cairn.raft.sim.SimNetwork}) drops, delays, duplicates and reorders messages and can
 * be partitioned; the {@link io.cairn.raft.sim.Nemesis} crashes, restarts, partitions, changes
 * membership and transfers leadership. {@link io.cairn.raft.sim.SafetyChecker} and
 * {@link io.cairn.raft.sim.ClientWorkload} check Raft's guarantees after every event; after the
 * fault phase everything heals and the run must converge.
 *
 * <p>Run: {@code mvn -pl raft-core -am test -Dtest='*Simulation*' -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsim.seeds=N}; replay one seed with {@code -Dtest=SimulationTest -Dsim.seed=S}.
 */
package io.cairn.raft.sim;
