/**
 * The gRPC peer transport. {@link io.cairn.raft.transport.grpc.GrpcTransport} is the entry point;
 * the wire format is {@code raft_peer.proto} (generated into {@code ...grpc.proto}).
 *
 * <ul>
 *   <li>Replication: one long-lived bidirectional stream per (sender, receiver) pair. The sender
 *       batches whatever its bounded queue holds into one frame whenever gRPC says the stream is
 *       ready; the receiver answers once, on acceptance, so the sender can reset its backoff.
 *       Each batch is sealed with a CRC-32C ({@code BatchChecksum}) by the call's own marshallers,
 *       which compute and check it over the bytes written and read ({@code BatchSealer},
 *       {@code BatchUnsealer}); a damaged batch fails the stream with DATA_LOSS.</li>
 *   <li>Snapshots: one InstallSnapshot call per transfer, the SNAPSHOT message on the first
 *       chunk, each chunk acknowledged within its own deadline; the receiver commits the data
 *       before handing the message to the node.</li>
 *   <li>Identity: every call carries the cluster id, the sender id and the intended receiver id
 *       ({@link io.cairn.raft.transport.grpc.PeerHeaders}); the server refuses mismatches with
 *       FAILED_PRECONDITION.</li>
 * </ul>
 */
package io.cairn.raft.transport.grpc;
