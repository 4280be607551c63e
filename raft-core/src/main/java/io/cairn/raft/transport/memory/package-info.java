/**
 * An in-process transport for tests of the runtime:
 * {@link io.cairn.raft.transport.memory.InMemoryNetwork} connects
 * {@link io.cairn.raft.transport.memory.InMemoryTransport}s by node id, delivers asynchronously
 * in per-link order, and can partition and heal links.
 */
package io.cairn.raft.transport.memory;
