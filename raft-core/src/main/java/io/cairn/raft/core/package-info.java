/**
 * The pure Raft protocol: {@link io.cairn.raft.core.RaftCore} and the value types it exchanges
 * with a runtime ({@link io.cairn.raft.core.Message}, {@link io.cairn.raft.core.Ready},
 * {@link io.cairn.raft.core.Entry}, ...). No threads, clock or I/O: time is counted in ticks and
 * randomness comes from an injected {@link java.util.Random}, so a run is reproducible from its
 * seed and inputs.
 *
 * <p>Internals (package-private), one job each:
 * <ul>
 *   <li>{@code Raft}: term, vote, role and timers; term checks, votes, elections, membership changes;</li>
 *   <li>{@code FollowerBehavior}, {@code CandidateBehavior}, {@code LeaderBehavior}: messages of the
 *       current term, per role;</li>
 *   <li>{@code Replicator}: a leader's appends, snapshots and heartbeats, built lazily per Ready;</li>
 *   <li>{@code RaftLog}: durable log view plus unstable tail; committed / persisted / applied positions;</li>
 *   <li>{@code ProgressTracker}, {@code Progress}, {@code Inflights}: membership and per-member
 *       replication state; {@code Quorum}: majority arithmetic;</li>
 *   <li>{@code ReadIndexQueue}: ReadIndex requests and their confirmation rounds;</li>
 *   <li>{@code Outbox}: produced messages and which of them must wait for persistence;</li>
 *   <li>{@code ConfigHistory}: membership reconstructed from the log after a restart.</li>
 * </ul>
 */
package io.cairn.raft.core;
