package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class QuorumTest {

    @Test
    void committedIndexIsTheMajorityMatch() {
        assertThat(Quorum.committedIndex(Set.of(1L, 2L, 3L), Map.of(1L, 5L, 2L, 3L, 3L, 1L))).isEqualTo(3);
        assertThat(Quorum.committedIndex(Set.of(1L, 2L, 3L, 4L), Map.of(1L, 5L, 2L, 3L, 3L, 1L, 4L, 4L)))
                .isEqualTo(3);
        assertThat(Quorum.committedIndex(Set.of(1L), Map.of(1L, 7L))).isEqualTo(7);
        assertThat(Quorum.committedIndex(Set.of(), Map.of(1L, 7L))).isZero();
    }

    @Test
    void nonVotersNeverCount() {
        // 4 is a learner with a high match: it must not help commit.
        assertThat(Quorum.committedIndex(Set.of(1L, 2L, 3L), Map.of(1L, 9L, 4L, 9L))).isZero();
        assertThat(Quorum.voteResult(Set.of(1L, 2L, 3L), Map.of(1L, true, 4L, true, 5L, true)))
                .isEqualTo(Quorum.VoteResult.PENDING);
    }

    @Test
    void voteTally() {
        Set<Long> voters = Set.of(1L, 2L, 3L);
        assertThat(Quorum.voteResult(voters, Map.of(1L, true))).isEqualTo(Quorum.VoteResult.PENDING);
        assertThat(Quorum.voteResult(voters, Map.of(1L, true, 2L, true))).isEqualTo(Quorum.VoteResult.WON);
        assertThat(Quorum.voteResult(voters, Map.of(1L, true, 2L, false))).isEqualTo(Quorum.VoteResult.PENDING);
        assertThat(Quorum.voteResult(voters, Map.of(1L, true, 2L, false, 3L, false)))
                .isEqualTo(Quorum.VoteResult.LOST);
        assertThat(Quorum.voteResult(Set.of(1L, 2L, 3L, 4L), Map.of(1L, true, 2L, true)))
                .isEqualTo(Quorum.VoteResult.PENDING);
        assertThat(Quorum.voteResult(Set.of(), Map.of())).isEqualTo(Quorum.VoteResult.LOST);
    }

    @Test
    void majorityOfActiveMembers() {
        assertThat(Quorum.isMajority(Set.of(1L, 2L, 3L), Set.of(1L, 3L))).isTrue();
        assertThat(Quorum.isMajority(Set.of(1L, 2L, 3L), Set.of(1L, 4L, 5L))).isFalse();
        assertThat(Quorum.isMajority(Set.of(), Set.of(1L))).isFalse();
    }

    /** The committed index is the largest index that at least a majority of voters have reached. */
    @Property(tries = 500)
    void committedIndexMatchesBruteForce(@ForAll @Size(min = 1, max = 7) List<@IntRange(min = 0, max = 20) Integer> matches,
            @ForAll @IntRange(min = 0, max = 3) int learners) {
        Set<Long> voters = new TreeSet<>();
        Map<Long, Long> matchIndexes = new HashMap<>();
        for (int i = 0; i < matches.size(); i++) {
            voters.add((long) i + 1);
            matchIndexes.put((long) i + 1, (long) matches.get(i));
        }
        for (int i = 0; i < learners; i++) {
            matchIndexes.put(100L + i, 1000L);
        }
        long expected = 0;
        for (long candidate = 0; candidate <= 20; candidate++) {
            long reached = 0;
            for (Long v : voters) {
                if (matchIndexes.get(v) >= candidate) {
                    reached++;
                }
            }
            if (reached * 2 > voters.size()) {
                expected = candidate;
            }
        }
        assertThat(Quorum.committedIndex(voters, matchIndexes)).isEqualTo(expected);
    }
}
