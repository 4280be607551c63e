package io.cairn.server.datadir;

import io.cairn.server.identity.BootstrapMember;
import java.util.List;

/**
 * What a member must remember across restarts so that bootstrap flags can be ignored (etcd
 * keeps this in its WAL metadata): its own id, its cluster's id, and the membership it started
 * with (to recreate the initial configuration if it crashed before its first Raft write).
 *
 * @param initialMembers the cluster's founding members: a founder bootstraps Raft with them, and
 *     every member whose store is still empty seeds its member list with them
 * @param joined whether this member joined a running cluster ({@code --initial-cluster-state
 *     existing}): it then never bootstraps Raft and waits for the leader to catch it up
 * @param membersAtJoin for a joined member, the members the cluster had when it joined (its first
 *     peers, before the log or a snapshot tells it more); empty for a founder
 */
public record PersistedIdentity(long memberId, long clusterId, List<BootstrapMember> initialMembers, boolean joined,
        List<BootstrapMember> membersAtJoin) {
    public PersistedIdentity {
        initialMembers = List.copyOf(initialMembers);
        membersAtJoin = List.copyOf(membersAtJoin);
    }

    /** A founding member's identity. */
    public PersistedIdentity(long memberId, long clusterId, List<BootstrapMember> initialMembers) {
        this(memberId, clusterId, initialMembers, false, List.of());
    }
}
