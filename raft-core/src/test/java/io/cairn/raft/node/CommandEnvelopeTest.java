package io.cairn.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CommandEnvelopeTest {

    @Property
    void roundTrips(@ForAll long origin, @ForAll long incarnation, @ForAll long sequence, @ForAll byte[] payload) {
        byte[] wrapped = CommandEnvelope.wrap(origin, incarnation, sequence, payload);

        assertThat(CommandEnvelope.isEnvelope(wrapped)).isTrue();
        CommandEnvelope decoded = CommandEnvelope.decode(wrapped);
        assertThat(decoded.origin()).isEqualTo(origin);
        assertThat(decoded.incarnation()).isEqualTo(incarnation);
        assertThat(decoded.sequence()).isEqualTo(sequence);
        assertThat(decoded.payload()).isEqualTo(payload);
    }

    @Test
    void leaderNoOpsAndForeignPayloadsAreNotEnvelopes() {
        assertThat(CommandEnvelope.isEnvelope(new byte[0])).isFalse();
        assertThat(CommandEnvelope.isEnvelope("a=b".getBytes())).isFalse();
        assertThat(CommandEnvelope.isEnvelope(new byte[CommandEnvelope.HEADER_BYTES])).isFalse();
    }
}
