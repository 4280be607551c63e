package io.cairn.server.member;

import io.cairn.server.config.ClusterState;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.datadir.DataDir;
import io.cairn.server.datadir.PersistedIdentity;
import io.cairn.server.identity.ClusterBootstrap;
import io.cairn.server.identity.MemberIds;
import io.cairn.server.identity.PeerUrlMatcher;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who this member is: on a restart the identity stored in the data dir (bootstrap flags
 * are ignored, spec 15.4); on a first start of a new cluster the ids derived from
 * {@code --initial-cluster} and the token, persisted before anything else happens.
 */
public final class IdentityResolver {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityResolver.class);

    private final PeerUrlMatcher matcher;

    public IdentityResolver(PeerUrlMatcher matcher) {
        this.matcher = matcher;
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
        if (config.initialClusterState() == ClusterState.EXISTING) {
            throw ConfigException.invalid("--initial-cluster-state existing: joining a running cluster needs the peers' "
                    + "cluster-info service, which this build does not have yet; start the member with a copy of the "
                    + "cluster's data or bootstrap a new cluster");
        }
        ClusterBootstrap plan = ClusterBootstrap.plan(config.name(), config.initialAdvertisePeerUrls(), config.initialCluster(),
                config.initialClusterToken(), matcher);
        PersistedIdentity identity = new PersistedIdentity(plan.localMemberId(), plan.clusterId(), plan.members());
        dataDir.writeIdentity(identity);
        LOG.info("bootstrapping member {} of new cluster {} with {} members", MemberIds.toHex(identity.memberId()),
                MemberIds.toHex(identity.clusterId()), identity.initialMembers().size());
        return new Resolved(identity, true);
    }
}
