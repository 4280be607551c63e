package io.cairn.raft.transport.grpc;

import io.grpc.Context;
import io.grpc.Metadata;

/**
 * Call metadata identifying the sender of every peer call. Ids travel as unsigned hexadecimal,
 * the way etcd prints member and cluster ids.
 */
public final class PeerHeaders {
    /** The cluster the caller belongs to; calls from another cluster are refused. */
    public static final Metadata.Key<String> CLUSTER_ID =
            Metadata.Key.of("cairn-cluster-id", Metadata.ASCII_STRING_MARSHALLER);
    /** The caller's node id (non-zero). */
    public static final Metadata.Key<String> SENDER_ID =
            Metadata.Key.of("cairn-sender-id", Metadata.ASCII_STRING_MARSHALLER);
    /** The node id the caller believes it is talking to (refused if it is another node). */
    public static final Metadata.Key<String> TARGET_ID =
            Metadata.Key.of("cairn-target-id", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * Set by senders that seal every replication batch with a checksum (see {@link BatchChecksum});
     * the receiver then refuses unsealed or damaged batches. Peers of earlier versions do not
     * send it, and their batches are taken unchecked as before.
     */
    public static final Metadata.Key<String> BATCH_CHECKSUM =
            Metadata.Key.of("cairn-batch-checksum", Metadata.ASCII_STRING_MARSHALLER);
    static final String CRC32C = "crc32c";

    /** Inside a checked call: the verified node id of the caller. */
    static final Context.Key<Long> CALLER_ID = Context.key("cairn-caller-id");
    /** Inside a checked call: whether the caller seals its replication batches. */
    static final Context.Key<Boolean> SEALED_BATCHES = Context.key("cairn-sealed-batches");

    private PeerHeaders() {
    }

    /** The headers a node sends to {@code targetId}. */
    public static Metadata forCall(long clusterId, long senderId, long targetId) {
        Metadata headers = new Metadata();
        headers.put(CLUSTER_ID, format(clusterId));
        headers.put(SENDER_ID, format(senderId));
        headers.put(TARGET_ID, format(targetId));
        headers.put(BATCH_CHECKSUM, CRC32C);
        return headers;
    }

    /**
     * The verified id of the peer making the current call, for services registered on the
     * transport's server without being exempt from the cluster check; 0 outside such a call.
     */
    public static long callerId() {
        Long id = CALLER_ID.get();
        return id == null ? 0 : id;
    }

    static String format(long id) {
        return Long.toHexString(id);
    }

    /** Parses an id header; null when missing or malformed. */
    static Long parse(String value) {
        if (value == null || value.isEmpty() || value.length() > 16) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(value, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
