package io.cairn.server.identity;

import io.cairn.server.config.ConfigException;
import io.cairn.server.config.InitialCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * Identity of a cluster bootstrapped with {@code --initial-cluster-state new}: every member's id
 * and the cluster id, after the checks etcd makes before its first start.
 *
 * @param localMemberId the id of the member named by {@code --name}
 */
public record ClusterBootstrap(long localMemberId, long clusterId, List<BootstrapMember> members) {

    public ClusterBootstrap {
        members = List.copyOf(members);
    }

    /**
     * Derives the ids and checks, in etcd's order and words: the local name is in the initial
     * cluster, no URL is listed twice, and the local entry's URLs are the advertised peer URLs
     * (compared after name resolution).
     */
    public static ClusterBootstrap plan(String localName, List<String> advertisedPeerUrls, InitialCluster initialCluster,
            String token, PeerUrlMatcher matcher) throws ConfigException, InterruptedException {
        if (!initialCluster.contains(localName)) {
            throw ConfigException.invalid("couldn't find local name \"" + localName + "\" in the initial cluster configuration");
        }
        if (initialCluster.hasDuplicateUrl()) {
            throw ConfigException.invalid("initial cluster " + initialCluster + " has duplicate url");
        }
        PeerUrlMatcher.Match match = matcher.compare(initialCluster.peerUrls(localName), advertisedPeerUrls);
        if (!match.equal()) {
            throw ConfigException.invalid("--initial-cluster has " + localName + "=" + String.join(",", initialCluster.peerUrls(localName))
                    + " but missing from --initial-advertise-peer-urls=" + String.join(",", advertisedPeerUrls)
                    + " (" + match.reason() + ")");
        }
        List<BootstrapMember> members = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        long localId = 0;
        for (var entry : initialCluster.members().entrySet()) {
            long id = MemberIds.bootstrapMemberId(entry.getValue(), token);
            if (ids.contains(id)) {
                throw ConfigException.invalid("member exists with identical ID " + MemberIds.toHex(id));
            }
            ids.add(id);
            members.add(new BootstrapMember(id, entry.getKey(), entry.getValue()));
            if (entry.getKey().equals(localName)) {
                localId = id;
            }
        }
        return new ClusterBootstrap(localId, MemberIds.clusterId(ids), members);
    }
}
