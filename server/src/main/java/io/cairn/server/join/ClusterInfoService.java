package io.cairn.server.join;

import io.cairn.kv.KvStore;
import io.cairn.kv.Member;
import io.cairn.server.datadir.PersistedIdentity;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.join.proto.ClusterInfoGrpc;
import io.cairn.server.join.proto.MemberInfo;
import io.cairn.server.join.proto.MembersRequest;
import io.cairn.server.join.proto.MembersResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer port's member list (etcd's {@code GET <peerURL>/members}), served without the cluster
 * id check because the asking member does not know the id yet. Before answering it waits (briefly)
 * for a ReadIndex, so a member that was just added through another member is already in the list;
 * without a leader it answers from what it has applied.
 */
public final class ClusterInfoService extends ClusterInfoGrpc.ClusterInfoImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterInfoService.class);
    private static final long BARRIER_TIMEOUT_MS = 3000;

    private final KvStore store;
    private final PersistedIdentity identity;
    private final Supplier<CompletableFuture<?>> readBarrier;

    /** @param readBarrier completes once the local store has applied everything committed before the call */
    public ClusterInfoService(KvStore store, PersistedIdentity identity, Supplier<CompletableFuture<?>> readBarrier) {
        this.store = store;
        this.identity = identity;
        this.readBarrier = readBarrier;
    }

    @Override
    public void members(MembersRequest request, StreamObserver<MembersResponse> response) {
        CompletableFuture<?> barrier;
        try {
            barrier = readBarrier.get();
        } catch (RuntimeException e) {
            barrier = CompletableFuture.failedFuture(e);
        }
        barrier.orTimeout(BARRIER_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("answering {}'s member list request without a read barrier (no leader?): {}",
                        request.getCallerName(), error.toString());
            }
            try {
                response.onNext(answer());
                response.onCompleted();
            } catch (RuntimeException e) {
                response.onError(e);
            }
        });
    }

    MembersResponse answer() {
        MembersResponse.Builder answer = MembersResponse.newBuilder().setClusterId(identity.clusterId());
        for (Member m : store.members()) {
            answer.addMembers(MemberInfo.newBuilder().setId(m.id()).setName(m.name())
                    .addAllPeerUrls(m.peerUrls()).addAllClientUrls(m.clientUrls()));
        }
        for (BootstrapMember f : identity.initialMembers()) {
            answer.addFounders(MemberInfo.newBuilder().setId(f.id()).addAllPeerUrls(f.peerUrls()));
        }
        return answer.build();
    }
}
