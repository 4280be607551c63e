package io.cairn.raft.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.transport.grpc.proto.WireClusterConfig;
import io.cairn.raft.transport.grpc.proto.WireMessage;
import io.cairn.raft.transport.grpc.proto.WireMessageType;
import io.cairn.raft.transport.grpc.proto.WireSnapshotMetadata;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Property(tries = 500)
    void everyMessageSurvivesTheWire(@ForAll("messages") Message message) throws Exception {
        // Through bytes, not just the builder: this is what actually crosses the network.
        byte[] bytes = MessageCodec.encode(message).toByteArray();
        Message decoded = MessageCodec.decode(WireMessage.parseFrom(bytes));

        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.toString()).isEqualTo(message.toString());
    }

    @Test
    void everyCoreMessageTypeHasAWireType() {
        for (MessageType type : MessageType.values()) {
            assertThat(MessageCodec.decodeType(MessageCodec.encodeType(type))).isEqualTo(type);
        }
        // and nothing on the wire maps to a core type twice
        assertThat(WireMessageType.values()).hasSize(MessageType.values().length + 2);
    }

    @Test
    void missingTypeIsRejected() {
        WireMessage unspecified = WireMessage.newBuilder().setFrom(1).setTo(2).build();
        assertThatThrownBy(() -> MessageCodec.decode(unspecified))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown message type");
    }

    @Test
    void unknownEnumNumberFromANewerPeerIsRejected() throws Exception {
        byte[] fromTheFuture = WireMessage.newBuilder().setTypeValue(999).build().toByteArray();
        assertThatThrownBy(() -> MessageCodec.decode(WireMessage.parseFrom(fromTheFuture)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicateOrZeroMemberIdsAreRejected() {
        WireMessage dup = WireMessage.newBuilder().setType(WireMessageType.SNAPSHOT)
                .setSnapshot(WireSnapshotMetadata.newBuilder().setIndex(5).setTerm(1)
                        .setConfig(WireClusterConfig.newBuilder().addVoters(1).addVoters(1)))
                .build();
        assertThatThrownBy(() -> MessageCodec.decode(dup)).isInstanceOf(IllegalArgumentException.class);

        WireMessage zero = dup.toBuilder().setSnapshot(dup.getSnapshot().toBuilder()
                .setConfig(WireClusterConfig.newBuilder().addVoters(0))).build();
        assertThatThrownBy(() -> MessageCodec.decode(zero)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<Long> anyLong = Arbitraries.longs();
        Arbitrary<Long> position = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Message.Builder> header = Combinators.combine(
                        Arbitraries.of(MessageType.class), anyLong, anyLong, position, position, position)
                .as((type, from, to, term, logTerm, index) ->
                        Message.builder(type).from(from).to(to).term(term).logTerm(logTerm).index(index));
        Arbitrary<Message.Builder> withCounters = Combinators.combine(
                        header, position, Arbitraries.of(true, false), position, position, anyLong)
                .as((b, commit, reject, hint, hintTerm, context) ->
                        b.commit(commit).reject(reject).rejectHint(hint).hintTerm(hintTerm).context(context));
        return Combinators.combine(withCounters, entries().list().ofMaxSize(6), snapshots().injectNull(0.5))
                .as((b, entries, snapshot) -> b.entries(entries).snapshot(snapshot).build());
    }

    private Arbitrary<Entry> entries() {
        Arbitrary<Long> position = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Combinators.combine(position, position, Arbitraries.of(EntryType.class), data).as(Entry::new);
    }

    private Arbitrary<SnapshotMetadata> snapshots() {
        Arbitrary<Long> position = Arbitraries.longs().between(0, Long.MAX_VALUE);
        // node ids are unsigned 64-bit on the wire, so negative longs must survive too
        Arbitrary<Set<Long>> ids = Arbitraries.longs().filter(id -> id != 0).set().ofMaxSize(5);
        Arbitrary<ClusterConfig> configs = Combinators.combine(ids, ids)
                .as((voters, learners) -> {
                    learners.removeAll(voters);
                    return new ClusterConfig(voters, learners);
                });
        return Combinators.combine(position, position, configs).as(SnapshotMetadata::new);
    }
}
