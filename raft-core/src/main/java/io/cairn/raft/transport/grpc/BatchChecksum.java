package io.cairn.raft.transport.grpc;

import com.google.protobuf.ByteString;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The CRC-32C that seals each replication batch. HTTP/2 and gRPC trust TCP to deliver the bytes
 * unchanged; when something in the path loses or garbles bytes anyway, a shifted window of a
 * stream can still parse as valid messages (an entry's data swallowing its neighbours, say),
 * which must never reach the log. The checksum covers the batch's own encoding, so the receiver
 * re-encodes what it parsed and compares.
 */
final class BatchChecksum {
    private BatchChecksum() {
    }

    /** {@code batch} with its checksum set. */
    static MessageBatch seal(MessageBatch.Builder batch) {
        batch.clearCrc32C();
        int crc = crc(batch.build().toByteString());
        return batch.setCrc32C(crc).build();
    }

    /**
     * Checks the seal of a received batch.
     *
     * @throws StatusRuntimeException with {@link Status#DATA_LOSS} if the checksum is missing or wrong
     */
    static void verify(MessageBatch batch) {
        if (!batch.hasCrc32C()) {
            throw Status.DATA_LOSS.withDescription("replication batch without its checksum").asRuntimeException();
        }
        int actual = crc(batch.toBuilder().clearCrc32C().build().toByteString());
        if (actual != batch.getCrc32C()) {
            throw Status.DATA_LOSS.withDescription(String.format("replication batch checksum mismatch: carried %08x, "
                    + "computed %08x over %d messages", batch.getCrc32C(), actual, batch.getMessagesCount()))
                    .asRuntimeException();
        }
    }

    private static int crc(ByteString bytes) {
        CRC32C crc = new CRC32C();
        for (ByteBuffer buffer : bytes.asReadOnlyByteBufferList()) {
            crc.update(buffer);
        }
        return (int) crc.getValue();
    }
}
