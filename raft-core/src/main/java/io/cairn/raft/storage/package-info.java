/**
 * Durable Raft state: the {@link io.cairn.raft.storage.Storage} and
 * {@link io.cairn.raft.storage.SnapshotStore} contracts, the file implementations
 * ({@link io.cairn.raft.storage.FileStorage}, {@link io.cairn.raft.storage.FileSnapshotStore}) and
 * in-memory ones with the same contract for tests and simulations
 * ({@link io.cairn.raft.storage.MemoryStorage}, {@link io.cairn.raft.storage.MemorySnapshotStore}).
 *
 * <p>Semantics shared by every implementation:
 * <ul>
 *   <li>A snapshot point in {@code persist} resets the log: {@code firstIndex = index + 1},
 *   {@code term(index)} is the snapshot's term. At index 0 it records a founding configuration
 *   without data (bootstrap).</li>
 *   <li>{@code compact(i)} adopts the newest snapshot committed in the snapshot store as the
 *   snapshot point and moves the first index to {@code i + 1}; {@code term(firstIndex - 1)} stays
 *   answerable.</li>
 *   <li>Requests that break the contract (a gap, a snapshot without data, a snapshot older than the
 *   current one) fail their own future; the store goes on.</li>
 * </ul>
 */
package io.cairn.raft.storage;
