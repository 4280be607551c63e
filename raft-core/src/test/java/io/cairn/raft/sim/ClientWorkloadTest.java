package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.ReadState;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientWorkloadTest {
    private static final SnapshotMetadata BOOT = new SnapshotMetadata(0, 0, ClusterConfig.ofVoters(1L, 2L));

    private final ClientWorkload workload = new ClientWorkload();
    private final SimNode one = new SimNode(1, 1, RaftConfig.builder(1).build(), null, BOOT, 10);
    private final SimNode two = new SimNode(2, 1, RaftConfig.builder(2).build(), null, BOOT, 10);

    private static Entry applied(long index, byte[] payload) {
        return Entry.normal(1, index, payload);
    }

    @Test
    void aProposalIsAcknowledgedWhenItsOwnNodeAppliesIt() {
        List<byte[]> payloads = workload.newProposals(one, 2);

        workload.onApplied(two, applied(5, payloads.get(0)));
        assertThat(workload.acks()).isEmpty();

        workload.onApplied(one, applied(5, payloads.get(0)));
        workload.onApplied(one, applied(7, payloads.get(0)));
        assertThat(workload.acks()).containsExactly(new ClientWorkload.Ack(1, 1, 5, 1));
        assertThat(workload.highestAckedIndex()).isEqualTo(5);
    }

    @Test
    void aReadBehindAnEarlierAcknowledgedWriteIsStale() {
        byte[] payload = workload.newProposals(one, 1).get(0);
        workload.onApplied(one, applied(9, payload));
        long read = workload.newRead(two);

        assertThatThrownBy(() -> workload.onReadState(two, new ReadState(read, 8)))
                .isInstanceOfSatisfying(InvariantViolation.class,
                        v -> assertThat(v.kind()).isEqualTo(InvariantViolation.Kind.STALE_READ));
    }

    @Test
    void aReadMayMissWritesAcknowledgedAfterItBegan() {
        long read = workload.newRead(two);
        byte[] payload = workload.newProposals(one, 1).get(0);
        workload.onApplied(one, applied(9, payload));

        assertThatCode(() -> workload.onReadState(two, new ReadState(read, 3))).doesNotThrowAnyException();
        assertThat(workload.readsConfirmed()).isEqualTo(1);
    }
}
