package io.cairn.server.member;

import io.cairn.server.config.ClusterState;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.datadir.DataDir;
import io.cairn.server.datadir.PersistedIdentity;
import io.cairn.server.identity.ClusterBootstrap;
import io.cairn.server.identity.MemberIds;
import io.cairn.server.identity.PeerUrlMatcher;
import io.cairn.server.join.ClusterInfoClient;
import io.cairn.server.join.JoinPlan;
import io.cairn.server.join.RemoteCluster;
import io.cairn.server.join.RemoteClusterSource;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who this member is: on a restart the identity stored in the data dir (bootstrap flags
 * are ignored, spec 15.4); on a first start of a new cluster the ids derived from
 * {@code --initial-cluster} and the token; on a first start with {@code --initial-cluster-state
 * existing} the ids a running cluster reports (spec 15.3). Either is persisted before anything
 * else happens.
 */
public final class IdentityResolver {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityResolver.class);

    private final PeerUrlMatcher matcher;
    private final Function<ServerConfig, RemoteClusterSource> remoteClusters;

    public IdentityResolver(PeerUrlMatcher matcher) {
        this(matcher, config -> ClusterInfoClient.forMember(config.name()));
    }

    /** @param remoteClusters how a joining member asks the running cluster (injectable for tests) */
    public IdentityResolver(PeerUrlMatcher matcher, Function<ServerConfig, RemoteClusterSource> remoteClusters) {
        this.matcher = matcher;
        this.remoteClusters = remoteClusters;
    }

    /** The identity and whether this start founds the cluster (storage still empty). */
    public record Resolved(PersistedIdentity identity, boolean firstStart) {}

    public Resolved resolve(ServerConfig config, DataDir dataDir) throws ConfigException, IOException, InterruptedException {
        Optional<PersistedIdentity> stored = dataDir.readIdentity();
        if (stored.isPresent()) {
            PersistedIdentity id = stored.get();
            LOG.info("the server is already initialized as member before, starting as etcd member... (member {} in cluster {}; "
                    + "--initial-cluster* flags are ignored)", MemberIds.toHex(id.memberId()), MemberIds.toHex(id.clusterId()));
            return new Resolved(id, false);
        }
        PersistedIdentity identity = config.initialClusterState() == ClusterState.EXISTING ? join(config) : bootstrap(config);
        dataDir.writeIdentity(identity);
        return new Resolved(identity, true);
    }

    private PersistedIdentity bootstrap(ServerConfig config) throws ConfigException, InterruptedException {
        ClusterBootstrap plan = ClusterBootstrap.plan(config.name(), config.initialAdvertisePeerUrls(), config.initialCluster(),
                config.initialClusterToken(), matcher);
        LOG.info("bootstrapping member {} of new cluster {} with {} members", MemberIds.toHex(plan.localMemberId()),
                MemberIds.toHex(plan.clusterId()), plan.members().size());
        return new PersistedIdentity(plan.localMemberId(), plan.clusterId(), plan.members());
    }

    /** etcd's order: verify the flags, fetch the members from the other entries' peers, match, adopt the ids. */
    private PersistedIdentity join(ServerConfig config) throws ConfigException, InterruptedException {
        JoinPlan.verify(config.name(), config.initialCluster());
        List<String> peers = JoinPlan.peersToAsk(config.name(), config.initialCluster());
        RemoteCluster remote = remoteClusters.apply(config).fetch(peers);
        JoinPlan plan = JoinPlan.plan(config.name(), config.initialCluster(), remote, matcher);
        List<String> local = config.initialCluster().peerUrls(config.name());
        if (!matcher.compare(local, config.initialAdvertisePeerUrls()).equal()) {
            // etcd does not check this when joining; the cluster keeps the URLs it was given by member add.
            LOG.warn("--initial-cluster has {}={} but --initial-advertise-peer-urls is {}; peers will use the former",
                    config.name(), String.join(",", local), String.join(",", config.initialAdvertisePeerUrls()));
        }
        remote.members().stream().filter(m -> m.id() == plan.localMemberId() && !m.name().isEmpty()).findFirst()
                .ifPresent(m -> LOG.warn("member {} has run before (as {}) and now starts again from an empty data dir; "
                        + "the safe way is member remove, then member add", MemberIds.toHex(m.id()), m.name()));
        LOG.info("joining existing cluster {} as member {} (member list from {}: {} members)",
                MemberIds.toHex(plan.clusterId()), MemberIds.toHex(plan.localMemberId()), remote.answeredBy(),
                plan.members().size());
        return new PersistedIdentity(plan.localMemberId(), plan.clusterId(), plan.founders(), true, plan.members());
    }
}
