package io.cairn.server.member;

import io.cairn.kv.KvStore;
import io.cairn.kv.Member;
import io.cairn.server.datadir.PersistedIdentity;
import io.cairn.server.identity.BootstrapMember;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer addresses a member dials when it starts, before the log tells it more: the founders,
 * the members it saw when it joined, and (overriding both) every member its store already knows,
 * so members added at run time are reachable after a restart too. Removed members and the member
 * itself are left out. Later membership changes reach the transport as their entries commit.
 */
final class StartupPeers {
    private StartupPeers() {}

    static Map<Long, String> of(PersistedIdentity identity, KvStore store) {
        Map<Long, String> peers = new LinkedHashMap<>();
        addAll(peers, identity.initialMembers());
        addAll(peers, identity.membersAtJoin());
        for (Member m : store.members()) {
            put(peers, m.id(), m.peerUrls());
        }
        peers.remove(identity.memberId());
        peers.keySet().removeIf(store::isRemoved);
        return peers;
    }

    private static void addAll(Map<Long, String> peers, List<BootstrapMember> members) {
        for (BootstrapMember m : members) {
            put(peers, m.id(), m.peerUrls());
        }
    }

    private static void put(Map<Long, String> peers, long id, List<String> peerUrls) {
        if (!peerUrls.isEmpty()) {
            peers.put(id, peerUrls.get(0)); // the transport dials the first URL, as membership changes do
        }
    }
}
