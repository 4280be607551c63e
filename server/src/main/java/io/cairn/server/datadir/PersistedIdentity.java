package io.cairn.server.datadir;

import io.cairn.server.identity.BootstrapMember;
import java.util.List;

/**
 * What a member must remember across restarts so that bootstrap flags can be ignored (etcd
 * keeps this in its WAL metadata): its own id, its cluster's id, and the membership it started
 * with (to recreate the initial configuration if it crashed before its first Raft write).
 */
public record PersistedIdentity(long memberId, long clusterId, List<BootstrapMember> initialMembers) {
    public PersistedIdentity {
        initialMembers = List.copyOf(initialMembers);
    }
}
