package io.cairn.raft.core;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The membership of a group: voters (who elect and count toward commit) and learners (who only
 * receive the log). Immutable, with sets sorted for deterministic iteration.
 */
public record ClusterConfig(Set<Long> voters, Set<Long> learners) {
    /** No members at all (a node that has not been bootstrapped). */
    public static final ClusterConfig EMPTY = new ClusterConfig(Set.of(), Set.of());

    public ClusterConfig {
        voters = Collections.unmodifiableSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSet(new TreeSet<>(learners));
        for (Long id : voters) {
            if (id == null || id == 0) {
                throw new IllegalArgumentException("node id 0 is reserved");
            }
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + Long.toHexString(id) + " is both voter and learner");
            }
        }
        if (learners.contains(0L)) {
            throw new IllegalArgumentException("node id 0 is reserved");
        }
    }

    /** A configuration of voters only. */
    public static ClusterConfig ofVoters(Long... ids) {
        return new ClusterConfig(Set.of(ids), Set.of());
    }

    /** A configuration of voters only. */
    public static ClusterConfig ofVoters(Set<Long> ids) {
        return new ClusterConfig(ids, Set.of());
    }

    public boolean isVoter(long id) {
        return voters.contains(id);
    }

    public boolean isLearner(long id) {
        return learners.contains(id);
    }

    public boolean contains(long id) {
        return isVoter(id) || isLearner(id);
    }

    /** Every member, voters first. */
    public Set<Long> members() {
        TreeSet<Long> all = new TreeSet<>(voters);
        all.addAll(learners);
        return Collections.unmodifiableSet(all);
    }

    /** The configuration after applying {@code change}; throws if the change is not valid here. */
    public ClusterConfig apply(ConfigChange change) {
        TreeSet<Long> v = new TreeSet<>(voters);
        TreeSet<Long> l = new TreeSet<>(learners);
        long id = change.nodeId();
        switch (change.type()) {
            case ADD_VOTER -> {
                l.remove(id);
                v.add(id);
            }
            case ADD_LEARNER -> {
                if (v.contains(id)) {
                    throw new IllegalArgumentException("node " + Long.toHexString(id) + " is already a voter");
                }
                l.add(id);
            }
            case REMOVE_NODE -> {
                v.remove(id);
                l.remove(id);
            }
            default -> throw new IllegalStateException("unknown change " + change.type());
        }
        return new ClusterConfig(v, l);
    }
}
