package io.cairn.server.join;

import io.cairn.kv.Member;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.identity.MemberIds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a running member told a joining one about its cluster (etcd's {@code GET <peerURL>/members}
 * plus the {@code X-Etcd-Cluster-ID} header): the cluster id, the current members ordered by id,
 * and the founders a joiner seeds its store with.
 *
 * @param answeredBy the peer URL that answered
 */
public record RemoteCluster(long clusterId, List<Member> members, List<BootstrapMember> founders, String answeredBy) {
    public RemoteCluster {
        members = members.stream().sorted(Comparator.comparing(Member::id, Long::compareUnsigned)).toList();
        founders = List.copyOf(founders);
    }

    /**
     * etcd's {@code RaftCluster.String()}, which its join errors print:
     * {@code {ClusterID:<id> Members:[&{ID:<id> RaftAttributes:{PeerURLs:[...]} Attributes:{Name:<n> ClientURLs:[...]}} ...] RemovedMemberIDs:[]}}.
     */
    @Override
    public String toString() {
        List<String> described = new ArrayList<>();
        for (Member m : members) {
            described.add("&{ID:" + MemberIds.toHex(m.id()) + " RaftAttributes:{PeerURLs:[" + String.join(" ", m.peerUrls())
                    + "]} Attributes:{Name:" + m.name() + " ClientURLs:[" + String.join(" ", m.clientUrls()) + "]}}");
        }
        return "{ClusterID:" + MemberIds.toHex(clusterId) + " Members:[" + String.join(" ", described) + "] RemovedMemberIDs:[]}";
    }
}
