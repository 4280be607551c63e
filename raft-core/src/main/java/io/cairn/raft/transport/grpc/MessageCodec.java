package io.cairn.raft.transport.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.transport.grpc.proto.WireClusterConfig;
import io.cairn.raft.transport.grpc.proto.WireEntry;
import io.cairn.raft.transport.grpc.proto.WireEntryType;
import io.cairn.raft.transport.grpc.proto.WireMessage;
import io.cairn.raft.transport.grpc.proto.WireMessageType;
import io.cairn.raft.transport.grpc.proto.WireSnapshotMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Converts core {@link Message}s to and from their protobuf form. Every field and enum constant
 * is mapped explicitly (the switches are exhaustive, so a new core constant fails compilation
 * here rather than silently on the wire). Decoding rejects malformed input with
 * {@link IllegalArgumentException}.
 */
public final class MessageCodec {

    private MessageCodec() {
    }

    public static WireMessage encode(Message m) {
        WireMessage.Builder b = WireMessage.newBuilder()
                .setType(encodeType(m.type()))
                .setFrom(m.from())
                .setTo(m.to())
                .setTerm(m.term())
                .setLogTerm(m.logTerm())
                .setIndex(m.index())
                .setCommit(m.commit())
                .setReject(m.reject())
                .setRejectHint(m.rejectHint())
                .setHintTerm(m.hintTerm())
                .setContext(m.context());
        for (Entry e : m.entries()) {
            b.addEntries(encode(e));
        }
        if (m.snapshot() != null) {
            b.setSnapshot(encode(m.snapshot()));
        }
        return b.build();
    }

    public static Message decode(WireMessage w) {
        List<Entry> entries = new ArrayList<>(w.getEntriesCount());
        for (WireEntry e : w.getEntriesList()) {
            entries.add(decode(e));
        }
        return Message.builder(decodeType(w.getType()))
                .from(w.getFrom())
                .to(w.getTo())
                .term(w.getTerm())
                .logTerm(w.getLogTerm())
                .index(w.getIndex())
                .entries(entries)
                .commit(w.getCommit())
                .reject(w.getReject())
                .rejectHint(w.getRejectHint())
                .hintTerm(w.getHintTerm())
                .context(w.getContext())
                .snapshot(w.hasSnapshot() ? decode(w.getSnapshot()) : null)
                .build();
    }

    static WireEntry encode(Entry e) {
        // The payload is immutable by Entry's contract, so it can be wrapped without a copy.
        return WireEntry.newBuilder()
                .setTerm(e.term())
                .setIndex(e.index())
                .setType(encodeType(e.type()))
                .setData(UnsafeByteOperations.unsafeWrap(e.data()))
                .build();
    }

    static Entry decode(WireEntry w) {
        return new Entry(w.getTerm(), w.getIndex(), decodeType(w.getType()), w.getData().toByteArray());
    }

    static WireSnapshotMetadata encode(SnapshotMetadata s) {
        return WireSnapshotMetadata.newBuilder()
                .setIndex(s.index())
                .setTerm(s.term())
                .setConfig(WireClusterConfig.newBuilder()
                        .addAllVoters(s.config().voters())
                        .addAllLearners(s.config().learners()))
                .build();
    }

    static SnapshotMetadata decode(WireSnapshotMetadata w) {
        WireClusterConfig c = w.getConfig();
        ClusterConfig config = new ClusterConfig(distinct(c.getVotersList()), distinct(c.getLearnersList()));
        return new SnapshotMetadata(w.getIndex(), w.getTerm(), config);
    }

    private static Set<Long> distinct(List<Long> ids) {
        Set<Long> set = new HashSet<>(ids);
        if (set.size() != ids.size()) {
            throw new IllegalArgumentException("duplicate member id in " + ids);
        }
        return set;
    }

    static WireMessageType encodeType(MessageType t) {
        return switch (t) {
            case APPEND -> WireMessageType.APPEND;
            case APPEND_RESPONSE -> WireMessageType.APPEND_RESPONSE;
            case HEARTBEAT -> WireMessageType.HEARTBEAT;
            case HEARTBEAT_RESPONSE -> WireMessageType.HEARTBEAT_RESPONSE;
            case VOTE -> WireMessageType.VOTE;
            case VOTE_RESPONSE -> WireMessageType.VOTE_RESPONSE;
            case PRE_VOTE -> WireMessageType.PRE_VOTE;
            case PRE_VOTE_RESPONSE -> WireMessageType.PRE_VOTE_RESPONSE;
            case SNAPSHOT -> WireMessageType.SNAPSHOT;
            case SNAPSHOT_STATUS -> WireMessageType.SNAPSHOT_STATUS;
            case UNREACHABLE -> WireMessageType.UNREACHABLE;
            case PROPOSE -> WireMessageType.PROPOSE;
            case READ_INDEX -> WireMessageType.READ_INDEX;
            case READ_INDEX_RESPONSE -> WireMessageType.READ_INDEX_RESPONSE;
            case TIMEOUT_NOW -> WireMessageType.TIMEOUT_NOW;
            case TRANSFER_LEADER -> WireMessageType.TRANSFER_LEADER;
        };
    }

    static MessageType decodeType(WireMessageType t) {
        return switch (t) {
            case APPEND -> MessageType.APPEND;
            case APPEND_RESPONSE -> MessageType.APPEND_RESPONSE;
            case HEARTBEAT -> MessageType.HEARTBEAT;
            case HEARTBEAT_RESPONSE -> MessageType.HEARTBEAT_RESPONSE;
            case VOTE -> MessageType.VOTE;
            case VOTE_RESPONSE -> MessageType.VOTE_RESPONSE;
            case PRE_VOTE -> MessageType.PRE_VOTE;
            case PRE_VOTE_RESPONSE -> MessageType.PRE_VOTE_RESPONSE;
            case SNAPSHOT -> MessageType.SNAPSHOT;
            case SNAPSHOT_STATUS -> MessageType.SNAPSHOT_STATUS;
            case UNREACHABLE -> MessageType.UNREACHABLE;
            case PROPOSE -> MessageType.PROPOSE;
            case READ_INDEX -> MessageType.READ_INDEX;
            case READ_INDEX_RESPONSE -> MessageType.READ_INDEX_RESPONSE;
            case TIMEOUT_NOW -> MessageType.TIMEOUT_NOW;
            case TRANSFER_LEADER -> MessageType.TRANSFER_LEADER;
            case WIRE_MESSAGE_TYPE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("unknown message type on the wire: " + t);
        };
    }

    static WireEntryType encodeType(EntryType t) {
        return switch (t) {
            case NORMAL -> WireEntryType.NORMAL;
            case CONFIG_CHANGE -> WireEntryType.CONFIG_CHANGE;
        };
    }

    static EntryType decodeType(WireEntryType t) {
        return switch (t) {
            case NORMAL -> EntryType.NORMAL;
            case CONFIG_CHANGE -> EntryType.CONFIG_CHANGE;
            case WIRE_ENTRY_TYPE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("unknown entry type on the wire: " + t);
        };
    }
}
