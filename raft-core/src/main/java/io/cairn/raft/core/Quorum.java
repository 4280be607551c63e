package io.cairn.raft.core;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** Majority arithmetic over a set of voters. Pure functions; learners are never passed in. */
final class Quorum {
    /** Outcome of a vote tally. */
    enum VoteResult { WON, LOST, PENDING }

    private Quorum() {
    }

    /** The number of voters that make a majority. */
    static int majority(int voterCount) {
        return voterCount / 2 + 1;
    }

    /**
     * The highest index stored by a majority of {@code voters}, given each member's match index
     * (absent means 0). An empty voter set commits nothing.
     */
    static long committedIndex(Set<Long> voters, Map<Long, Long> matchIndexes) {
        if (voters.isEmpty()) {
            return 0;
        }
        long[] matches = new long[voters.size()];
        int i = 0;
        for (Long id : voters) {
            matches[i++] = matchIndexes.getOrDefault(id, 0L);
        }
        Arrays.sort(matches);
        // Sorted ascending: the element at n - majority is held by at least a majority.
        return matches[matches.length - majority(matches.length)];
    }

    /** Tallies votes (true = granted) of {@code voters}; votes of non-voters are ignored. */
    static VoteResult voteResult(Set<Long> voters, Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.LOST;
        }
        int granted = 0;
        int rejected = 0;
        for (Long id : voters) {
            Boolean vote = votes.get(id);
            if (vote == null) {
                continue;
            }
            if (vote) {
                granted++;
            } else {
                rejected++;
            }
        }
        int needed = majority(voters.size());
        if (granted >= needed) {
            return VoteResult.WON;
        }
        if (voters.size() - rejected < needed) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    /** Whether the members in {@code active} form a majority of {@code voters}. */
    static boolean isMajority(Set<Long> voters, Set<Long> active) {
        int count = 0;
        for (Long id : voters) {
            if (active.contains(id)) {
                count++;
            }
        }
        return !voters.isEmpty() && count >= majority(voters.size());
    }
}
