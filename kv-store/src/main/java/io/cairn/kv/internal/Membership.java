package io.cairn.kv.internal;

import io.cairn.kv.Member;
import io.cairn.kv.proto.MemberRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cluster membership as kept in the store (etcd's {@code /0/members}, {@code /0/removed_members},
 * {@code /0/version}). Mutable copy used while applying a batch; published as an unmodifiable copy
 * after commit. Member ids order as unsigned numbers, as /v2/members lists them.
 */
public final class Membership {
    private final TreeMap<Long, MemberRecord> members;
    private final Set<Long> removed;
    private String clusterVersion;
    private long clusterId;

    public Membership() {
        this(new TreeMap<>(Long::compareUnsigned), new HashSet<>(), null, 0);
    }

    private Membership(TreeMap<Long, MemberRecord> members, Set<Long> removed, String clusterVersion, long clusterId) {
        this.members = members;
        this.removed = removed;
        this.clusterVersion = clusterVersion;
        this.clusterId = clusterId;
    }

    public Membership copy() {
        TreeMap<Long, MemberRecord> m = new TreeMap<>(Long::compareUnsigned);
        m.putAll(members);
        return new Membership(m, new HashSet<>(removed), clusterVersion, clusterId);
    }

    public Optional<MemberRecord> get(long id) {
        return Optional.ofNullable(members.get(id));
    }

    public void put(MemberRecord record) {
        members.put(record.getId(), record);
    }

    public void remove(long id) {
        members.remove(id);
        removed.add(id);
    }

    public void markRemoved(long id) {
        removed.add(id);
    }

    public boolean isRemoved(long id) {
        return removed.contains(id);
    }

    public Set<Long> removedIds() {
        return Collections.unmodifiableSet(removed);
    }

    public Optional<String> clusterVersion() {
        return Optional.ofNullable(clusterVersion);
    }

    public void setClusterVersion(String version) {
        this.clusterVersion = version;
    }

    public long clusterId() {
        return clusterId;
    }

    public void setClusterId(long id) {
        this.clusterId = id;
    }

    public List<Member> list() {
        List<Member> out = new ArrayList<>();
        for (MemberRecord r : members.values()) {
            out.add(toMember(r));
        }
        return out;
    }

    public static Member toMember(MemberRecord r) {
        return new Member(r.getId(), r.getName(), r.getPeerUrlsList(), r.getClientUrlsList());
    }
}
