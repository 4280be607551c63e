package io.cairn.raft.transport.grpc;

import com.google.protobuf.ByteString;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.cairn.raft.transport.grpc.proto.StreamAccepted;
import io.grpc.MethodDescriptor;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The CRC-32C that seals each replication batch. HTTP/2 and gRPC trust TCP to deliver the bytes
 * unchanged; when something in the path loses or garbles bytes anyway, a shifted window of a
 * stream can still parse as valid messages (an entry's data swallowing its neighbours, say),
 * which must never reach the log.
 *
 * <p>The checksum covers the batch's encoding without its {@code crc32c} field, and the seal is
 * that field: protobuf writes fields in number order and {@code crc32c} is the last one, so a
 * sealed batch is its unsealed encoding followed by the {@link #SEAL_BYTES} of the seal. Senders
 * write it that way in one pass ({@link BatchSealer}); receivers check it over the bytes they read
 * ({@link BatchUnsealer}) and fall back to re-encoding what they parsed ({@link #check(MessageBatch)})
 * only when the bytes do not end in a seal that matches.
 */
final class BatchChecksum {
    /** Tag of field 2 ({@code crc32c}) with wire type fixed32. */
    static final byte SEAL_TAG = 0x15;
    /** The seal's length on the wire: its tag and four little-endian bytes. */
    static final int SEAL_BYTES = 5;

    private BatchChecksum() {
    }

    /** The generated replicate method with {@code requests} as its request marshaller. */
    static <T> MethodDescriptor<T, StreamAccepted> replicateMethod(MethodDescriptor.Marshaller<T> requests) {
        return RaftPeerGrpc.getReplicateMethod()
                .toBuilder(requests, RaftPeerGrpc.getReplicateMethod().getResponseMarshaller())
                .build();
    }

    /** The seal of a batch whose unsealed encoding is {@code bytes[offset, offset + length)}. */
    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Writes the seal for {@code crc} at {@code offset} of {@code target}. */
    static void writeSeal(byte[] target, int offset, int crc) {
        target[offset] = SEAL_TAG;
        for (int i = 0; i < 4; i++) {
            target[offset + 1 + i] = (byte) (crc >>> (8 * i));
        }
    }

    /**
     * Checks a batch against the bytes it was parsed from. When they end in a seal that matches
     * the checksum of everything before it, the batch is intact without further work; otherwise
     * the verdict is {@link #check(MessageBatch)}'s, so a batch accepted before is accepted still.
     */
    static ReceivedBatch check(MessageBatch batch, byte[] bytes) {
        int body = bytes.length - SEAL_BYTES;
        if (body >= 0 && bytes[body] == SEAL_TAG && batch.hasCrc32C()) {
            int carried = readSeal(bytes, body + 1);
            if (carried == batch.getCrc32C() && carried == crc(bytes, 0, body)) {
                return ReceivedBatch.intact(batch);
            }
        }
        return check(batch);
    }

    /**
     * Checks a parsed batch by re-encoding it without its seal: the way for batches whose bytes
     * did not end in the seal, and the confirmation of a mismatch before anything is refused.
     */
    static ReceivedBatch check(MessageBatch batch) {
        if (!batch.hasCrc32C()) {
            return ReceivedBatch.missing(batch);
        }
        int computed = crc(batch.toBuilder().clearCrc32C().build().toByteString());
        return computed == batch.getCrc32C() ? ReceivedBatch.intact(batch) : ReceivedBatch.mismatch(batch, computed);
    }

    private static int readSeal(byte[] bytes, int offset) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value |= (bytes[offset + i] & 0xff) << (8 * i);
        }
        return value;
    }

    private static int crc(ByteString bytes) {
        CRC32C crc = new CRC32C();
        for (ByteBuffer buffer : bytes.asReadOnlyByteBufferList()) {
            crc.update(buffer);
        }
        return (int) crc.getValue();
    }
}
