package io.cairn.server.join;

import io.cairn.kv.Member;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.EtcdUrls;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.join.proto.ClusterInfoGrpc;
import io.cairn.server.join.proto.MemberInfo;
import io.cairn.server.join.proto.MembersRequest;
import io.cairn.server.join.proto.MembersResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the cluster's member list from the peers' {@link ClusterInfoService}, trying each peer
 * URL in turn as etcd's {@code GetClusterFromRemotePeers} does. Unlike etcd it goes round the list
 * again until {@code patience} has passed (a peer pod may still be restarting or not resolvable
 * yet), then fails with etcd's message.
 */
public final class ClusterInfoClient implements RemoteClusterSource {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterInfoClient.class);

    private final String callerName;
    private final Duration callTimeout;
    private final Duration patience;

    public ClusterInfoClient(String callerName, Duration callTimeout, Duration patience) {
        this.callerName = callerName;
        this.callTimeout = callTimeout;
        this.patience = patience;
    }

    /** The production client: 5 s per call, 30 s in all. */
    public static ClusterInfoClient forMember(String name) {
        return new ClusterInfoClient(name, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Override
    public RemoteCluster fetch(List<String> peerUrls) throws ConfigException, InterruptedException {
        long giveUp = System.nanoTime() + patience.toNanos();
        while (true) {
            for (String url : peerUrls) {
                try {
                    return fetchFrom(url);
                } catch (StatusRuntimeException | IllegalArgumentException e) {
                    LOG.warn("could not get cluster response from {}: {}", url, e.toString());
                }
            }
            if (System.nanoTime() - giveUp >= 0) {
                throw ConfigException.invalid("cannot fetch cluster info from peer urls: "
                        + "could not retrieve cluster information from the given URLs");
            }
            Thread.sleep(1000); // then the whole list again
        }
    }

    RemoteCluster fetchFrom(String peerUrl) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(EtcdUrls.host(peerUrl), EtcdUrls.port(peerUrl))
                .usePlaintext().build();
        try {
            MembersResponse answer = ClusterInfoGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .members(MembersRequest.newBuilder().setCallerName(callerName).build());
            return toRemoteCluster(answer, peerUrl);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static RemoteCluster toRemoteCluster(MembersResponse answer, String peerUrl) {
        List<Member> members = new ArrayList<>();
        for (MemberInfo m : answer.getMembersList()) {
            members.add(new Member(m.getId(), m.getName(), m.getPeerUrlsList(), m.getClientUrlsList()));
        }
        List<BootstrapMember> founders = new ArrayList<>();
        for (MemberInfo f : answer.getFoundersList()) {
            founders.add(new BootstrapMember(f.getId(), "", f.getPeerUrlsList()));
        }
        return new RemoteCluster(answer.getClusterId(), members, founders, peerUrl);
    }
}
