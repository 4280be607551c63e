package io.cairn.raft.transport.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, on every call, peers that belong to another cluster, that do not say who they are, or
 * that meant to reach a different node. A misconfigured member is a standing condition that
 * repeats on every reconnect, so each distinct refusal is logged once.
 */
final class ClusterIdInterceptor implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(ClusterIdInterceptor.class);
    private static final ServerCall.Listener<Object> NOOP = new ServerCall.Listener<>() {
    };

    private final long clusterId;
    private final long localId;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    ClusterIdInterceptor(long clusterId, long localId) {
        this.clusterId = clusterId;
        this.localId = localId;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String rawSender = headers.get(PeerHeaders.SENDER_ID);
        Long sender = PeerHeaders.parse(rawSender);
        String refusal = refusal(sender, rawSender, headers.get(PeerHeaders.CLUSTER_ID), headers.get(PeerHeaders.TARGET_ID));
        if (refusal != null) {
            if (logged.add(refusal)) {
                log.warn("refusing peer call {}: {}", call.getMethodDescriptor().getFullMethodName(), refusal);
            }
            call.close(Status.FAILED_PRECONDITION.withDescription(refusal), new Metadata());
            @SuppressWarnings("unchecked")
            ServerCall.Listener<Q> noop = (ServerCall.Listener<Q>) NOOP;
            return noop;
        }
        Context context = Context.current().withValue(PeerHeaders.CALLER_ID, sender)
                .withValue(PeerHeaders.SEALED_BATCHES, PeerHeaders.CRC32C.equals(headers.get(PeerHeaders.BATCH_CHECKSUM)));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private String refusal(Long sender, String rawSender, String rawCluster, String rawTarget) {
        if (sender == null || sender == 0) {
            return "missing or invalid sender id '" + rawSender + "'";
        }
        String who = "peer " + PeerHeaders.format(sender);
        Long cluster = PeerHeaders.parse(rawCluster);
        if (cluster == null || cluster != clusterId) {
            return who + " belongs to cluster '" + rawCluster + "' but this member (" + PeerHeaders.format(localId)
                    + ") belongs to cluster " + PeerHeaders.format(clusterId) + " (cluster id mismatch)";
        }
        if (sender == localId) {
            return who + " has the same member id as this member";
        }
        Long target = PeerHeaders.parse(rawTarget);
        if (rawTarget != null && (target == null || target != localId)) {
            return who + " meant to reach member '" + rawTarget + "' but this is member " + PeerHeaders.format(localId);
        }
        return null;
    }
}
