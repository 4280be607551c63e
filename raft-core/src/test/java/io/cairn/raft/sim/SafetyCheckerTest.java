package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The checker must notice each broken property on hand-made histories (nodes are not started). */
class SafetyCheckerTest {
    private static final SnapshotMetadata BOOT = new SnapshotMetadata(0, 0, ClusterConfig.ofVoters(1L, 2L));

    private final Map<Long, SimNode> nodes = new TreeMap<>();
    private final SafetyChecker checker = new SafetyChecker(nodes);
    private final SimNode one = node(1);
    private final SimNode two = node(2);

    private SimNode node(long id) {
        SimNode node = new SimNode(id, 1, RaftConfig.builder(id).build(), null, BOOT, 10);
        nodes.put(id, node);
        return node;
    }

    private static Entry entry(long index, long term, long value) {
        return Entry.normal(term, index, SimStateMachine.payload(value));
    }

    private void write(SimNode node, Entry... entries) {
        node.disk().write(new SimWrite(null, null, List.of(entries), null));
        checker.onWrite(node, List.of(entries));
    }

    private static void assertViolation(InvariantViolation.Kind kind, ThrowingCallable action) {
        assertThatThrownBy(action).isInstanceOfSatisfying(InvariantViolation.class,
                v -> org.assertj.core.api.Assertions.assertThat(v.kind()).isEqualTo(kind));
    }

    @Test
    void identicalLogsPass() {
        assertThatCode(() -> {
            write(one, entry(1, 1, 10), entry(2, 2, 20));
            write(two, entry(1, 1, 10));
            write(two, entry(2, 2, 20));
            checker.onApply(one, entry(1, 1, 10));
            checker.onApply(two, entry(1, 1, 10));
        }).doesNotThrowAnyException();
    }

    @Test
    void twoEntriesWithOneIndexAndTermBreakLogMatching() {
        write(one, entry(1, 1, 10));
        assertViolation(InvariantViolation.Kind.LOG_MATCHING, () -> write(two, entry(1, 1, 11)));
    }

    @Test
    void aSharedEntryAfterDifferentPrefixesBreaksLogMatching() {
        write(one, entry(1, 1, 10), entry(2, 3, 30));
        write(two, entry(1, 2, 20));
        assertViolation(InvariantViolation.Kind.LOG_MATCHING, () -> write(two, entry(2, 3, 30)));
    }

    @Test
    void differentEntriesAppliedAtOneIndexBreakStateMachineSafety() {
        checker.onApply(one, entry(1, 1, 10));
        assertViolation(InvariantViolation.Kind.STATE_MACHINE_SAFETY, () -> checker.onApply(two, entry(1, 2, 20)));
    }

    @Test
    void aSnapshotThatContradictsAppliedHistoryIsCaught() {
        checker.onApply(one, entry(1, 1, 10));
        SnapshotImage wrong = new SnapshotImage(1, new long[] {0, 99});
        assertViolation(InvariantViolation.Kind.STATE_MACHINE_SAFETY,
                () -> checker.onSnapshotWrite(two, new SnapshotMetadata(1, 1, BOOT.config()), wrong));
    }

    @Test
    void aSnapshotAtACommittedIndexWithAnotherTermIsCaught() {
        checker.onApply(one, entry(1, 1, 10));
        SnapshotImage image = new SnapshotImage(1, new long[] {0, 10});
        assertViolation(InvariantViolation.Kind.SNAPSHOT,
                () -> checker.onSnapshotWrite(two, new SnapshotMetadata(1, 2, BOOT.config()), image));
    }
}
