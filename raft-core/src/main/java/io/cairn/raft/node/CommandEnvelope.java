package io.cairn.raft.node;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Wraps each proposed command with the identity of the proposal (origin node, origin
 * incarnation, sequence) so the origin can find the waiting future when the entry is applied,
 * even after the proposal was forwarded to the leader. The state machine never sees the wrapper.
 *
 * <p>The incarnation differs on every start of a node, so a restarted node never completes a
 * fresh future with the result of an entry proposed by its previous life.
 */
record CommandEnvelope(long origin, long incarnation, long sequence, byte[] payload) {
    private static final byte MAGIC = (byte) 0xCA;
    private static final byte VERSION = 1;
    static final int HEADER_BYTES = 2 + 3 * Long.BYTES;

    byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        buffer.put(MAGIC).put(VERSION).putLong(origin).putLong(incarnation).putLong(sequence).put(payload);
        return buffer.array();
    }

    static byte[] wrap(long origin, long incarnation, long sequence, byte[] payload) {
        return new CommandEnvelope(origin, incarnation, sequence, payload).encode();
    }

    /** Whether {@code data} carries an envelope (leader no-ops are empty and carry none). */
    static boolean isEnvelope(byte[] data) {
        return data.length >= HEADER_BYTES && data[0] == MAGIC && data[1] == VERSION;
    }

    /** Parses an envelope; call only when {@link #isEnvelope} holds. */
    static CommandEnvelope decode(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        buffer.position(2);
        long origin = buffer.getLong();
        long incarnation = buffer.getLong();
        long sequence = buffer.getLong();
        return new CommandEnvelope(origin, incarnation, sequence, Arrays.copyOfRange(data, HEADER_BYTES, data.length));
    }
}
