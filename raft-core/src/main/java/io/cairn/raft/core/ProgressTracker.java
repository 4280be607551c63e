package io.cairn.raft.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The membership in force plus, on a leader, each member's replication {@link Progress}, and
 * during an election, the votes received. Iteration is in id order for determinism.
 */
final class ProgressTracker {
    private final int maxInflightMessages;
    private final long maxInflightBytes;
    private ClusterConfig config;
    private final TreeMap<Long, Progress> progress = new TreeMap<>();
    private final Map<Long, Boolean> votes = new HashMap<>();

    ProgressTracker(ClusterConfig config, int maxInflightMessages, long maxInflightBytes) {
        this.config = config;
        this.maxInflightMessages = maxInflightMessages;
        this.maxInflightBytes = maxInflightBytes;
    }

    ClusterConfig config() {
        return config;
    }

    /** Switches to {@code newConfig}, keeping the progress of members that stay. */
    void setConfig(ClusterConfig newConfig, long lastIndex) {
        this.config = newConfig;
        progress.keySet().retainAll(newConfig.members());
        for (Long id : newConfig.members()) {
            // A new member gets a full election timeout before it can count against CheckQuorum.
            if (!progress.containsKey(id)) {
                Progress pr = newProgress(lastIndex);
                pr.setRecentActive(true);
                progress.put(id, pr);
            }
        }
    }

    /** Forgets all progress and starts every member as a fresh probe from {@code lastIndex + 1}. */
    void resetProgress(long lastIndex) {
        progress.clear();
        for (Long id : config.members()) {
            progress.put(id, newProgress(lastIndex));
        }
    }

    private Progress newProgress(long lastIndex) {
        return new Progress(lastIndex + 1, maxInflightMessages, maxInflightBytes);
    }

    Progress get(long id) {
        return progress.get(id);
    }

    /** Every member's progress, in id order. */
    Map<Long, Progress> all() {
        return Collections.unmodifiableMap(progress);
    }

    /** The index a majority of voters have stored. */
    long committed() {
        Map<Long, Long> matches = new HashMap<>();
        progress.forEach((id, pr) -> matches.put(id, pr.match()));
        return Quorum.committedIndex(config.voters(), matches);
    }

    /** Whether a majority of voters were recently active (this node counts itself). */
    boolean quorumActive(long self) {
        Set<Long> active = new HashSet<>();
        progress.forEach((id, pr) -> {
            if (id == self || pr.recentActive()) {
                active.add(id);
            }
        });
        return Quorum.isMajority(config.voters(), active);
    }

    void resetVotes() {
        votes.clear();
    }

    /** Records {@code id}'s vote; a member's first answer in a round is the one that counts. */
    void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    /** Whether {@code id} answered the current campaign. */
    boolean hasAnswered(long id) {
        return votes.containsKey(id);
    }

    Quorum.VoteResult voteResult() {
        return Quorum.voteResult(config.voters(), votes);
    }
}
