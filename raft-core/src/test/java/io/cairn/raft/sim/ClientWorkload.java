package io.cairn.raft.sim;

import static io.cairn.raft.sim.InvariantViolation.Kind.STALE_READ;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.ReadState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated clients: unique proposals and linearizable reads. A proposal counts as
 * acknowledged when the node it was proposed to applies it in the same life (that is when a real
 * runtime completes the client's future). A read issued after some acknowledgement must be given
 * a read index at or past that write.
 */
final class ClientWorkload {
    /** An acknowledged proposal: where it was applied. */
    record Ack(long id, long node, long index, long term) {
    }

    private record Proposal(long node, int life) {
    }

    private record PendingRead(long node, int life, long requiredIndex) {
    }

    private final Map<Long, Proposal> proposals = new HashMap<>();
    private final LinkedHashMap<Long, Ack> acks = new LinkedHashMap<>();
    private final Map<Long, PendingRead> reads = new HashMap<>();
    private long nextProposalId = 1;
    private long nextReadId = 1;
    private long highestAckedIndex;
    private int readsConfirmed;

    /** Payloads for {@code count} new proposals on {@code node}. */
    List<byte[]> newProposals(SimNode node, int count) {
        List<byte[]> payloads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long id = nextProposalId++;
            proposals.put(id, new Proposal(node.id(), node.life()));
            payloads.add(SimStateMachine.payload(id));
        }
        return payloads;
    }

    /** A new read request id on {@code node}. */
    long newRead(SimNode node) {
        long id = nextReadId++;
        reads.put(id, new PendingRead(node.id(), node.life(), highestAckedIndex));
        return id;
    }

    void onApplied(SimNode node, Entry entry) {
        long id = SimStateMachine.valueOf(entry);
        Proposal p = proposals.get(id);
        if (p == null || p.node() != node.id() || p.life() != node.life() || acks.containsKey(id)) {
            return;
        }
        acks.put(id, new Ack(id, node.id(), entry.index(), entry.term()));
        highestAckedIndex = Math.max(highestAckedIndex, entry.index());
    }

    void onReadState(SimNode node, ReadState state) {
        PendingRead read = reads.get(state.requestId());
        if (read == null || read.node() != node.id() || read.life() != node.life()) {
            return;
        }
        reads.remove(state.requestId());
        readsConfirmed++;
        if (state.index() < read.requiredIndex()) {
            throw new InvariantViolation(STALE_READ, "read " + state.requestId() + " on node " + node.id()
                    + " got read index " + state.index() + " although a write at index " + read.requiredIndex()
                    + " was acknowledged before the read began");
        }
    }

    Collection<Ack> acks() {
        return acks.values();
    }

    long highestAckedIndex() {
        return highestAckedIndex;
    }

    long proposed() {
        return nextProposalId - 1;
    }

    int readsConfirmed() {
        return readsConfirmed;
    }
}
