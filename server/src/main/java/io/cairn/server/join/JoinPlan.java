package io.cairn.server.join;

import io.cairn.kv.Member;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.InitialCluster;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.identity.MemberIds;
import io.cairn.server.identity.PeerUrlMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Identity of a member joining a running cluster ({@code --initial-cluster-state existing}), after
 * the checks etcd 3.4 makes, in its order and words: {@code VerifyJoinExisting} (the local name is
 * in {@code --initial-cluster}, no URL twice), then {@code ValidateClusterAndAssignIDs} (as many
 * entries as the cluster has members, each member's peer URLs equal to some entry's, compared after
 * name resolution), which gives every entry, the local one included, the id the cluster knows.
 *
 * @param localMemberId the id the cluster gave this member when it was added ({@code member add})
 * @param clusterId the running cluster's id
 * @param founders whom the joiner's store is seeded with before it replays the log
 * @param members the cluster's members when this member joined (its first peers)
 */
public record JoinPlan(long localMemberId, long clusterId, List<BootstrapMember> founders, List<BootstrapMember> members) {

    public JoinPlan {
        founders = List.copyOf(founders);
        members = List.copyOf(members);
    }

    /** etcd's {@code VerifyJoinExisting}. */
    public static void verify(String localName, InitialCluster initialCluster) throws ConfigException {
        if (!initialCluster.contains(localName)) {
            throw ConfigException.invalid("couldn't find local name \"" + localName + "\" in the initial cluster configuration");
        }
        if (initialCluster.hasDuplicateUrl()) {
            throw ConfigException.invalid("initial cluster " + initialCluster + " has duplicate url");
        }
    }

    /** Whom to ask: the peer URLs of every other entry, sorted (etcd's {@code getRemotePeerURLs}). */
    public static List<String> peersToAsk(String localName, InitialCluster initialCluster) {
        List<String> urls = new ArrayList<>();
        initialCluster.members().forEach((name, peerUrls) -> {
            if (!name.equals(localName)) {
                urls.addAll(peerUrls);
            }
        });
        urls.sort(null);
        return urls;
    }

    /** Matches the fetched members against {@code --initial-cluster} and takes the local id from its entry. */
    public static JoinPlan plan(String localName, InitialCluster initialCluster, RemoteCluster remote, PeerUrlMatcher matcher)
            throws ConfigException, InterruptedException {
        Map<String, List<String>> entries = initialCluster.members();
        if (remote.members().size() != entries.size()) {
            throw invalid(remote, "member count is unequal (the cluster has " + remote.members().size()
                    + " members, --initial-cluster lists " + entries.size() + "; a joining member must be added first: "
                    + "etcdctl member add " + localName + " <peer URL>, or POST /v2/members)");
        }
        Map<String, Long> idOfEntry = new LinkedHashMap<>();
        List<BootstrapMember> members = new ArrayList<>();
        for (Member existing : remote.members()) {
            String entry = matchingEntry(existing, entries, remote, matcher);
            idOfEntry.put(entry, existing.id());
            members.add(new BootstrapMember(existing.id(), existing.name().isEmpty() ? entry : existing.name(),
                    existing.peerUrls()));
        }
        Long localId = idOfEntry.get(localName);
        if (localId == null) {
            // Two members matched one entry (their names resolve alike), so none matched ours.
            throw invalid(remote, "PeerURLs: no match found for local member " + localName + " "
                    + entries.get(localName));
        }
        List<BootstrapMember> founders = remote.founders().isEmpty()
                ? remote.members().stream().map(m -> new BootstrapMember(m.id(), "", m.peerUrls())).toList()
                : remote.founders();
        return new JoinPlan(localId, remote.clusterId(), founders, members);
    }

    /** The first entry whose URLs equal the member's: as written first, then after name resolution. */
    private static String matchingEntry(Member existing, Map<String, List<String>> entries, RemoteCluster remote,
            PeerUrlMatcher matcher) throws ConfigException, InterruptedException {
        List<String> wanted = existing.peerUrls().stream().sorted().toList();
        for (Map.Entry<String, List<String>> e : entries.entrySet()) {
            if (e.getValue().stream().sorted().toList().equals(wanted)) {
                return e.getKey();
            }
        }
        String lastError = "<nil>";
        for (Map.Entry<String, List<String>> e : entries.entrySet()) {
            PeerUrlMatcher.Match match = matcher.compare(existing.peerUrls(), e.getValue());
            if (match.equal()) {
                return e.getKey();
            }
            lastError = match.reason();
        }
        throw invalid(remote, "PeerURLs: no match found for existing member (" + MemberIds.toHex(existing.id()) + ", "
                + existing.peerUrls() + "), last resolver error (" + lastError + ")");
    }

    private static ConfigException invalid(RemoteCluster remote, String reason) {
        return ConfigException.invalid("error validating peerURLs " + remote + ": " + reason);
    }
}
