package io.cairn.raft.transport.grpc;

import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.StreamAccepted;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The sender's marshaller for replication batches: it encodes each batch once, straight into
 * gRPC's buffers, computing the CRC-32C of those bytes on the way, and then appends the seal (see
 * {@link BatchChecksum}). Sealing a built batch instead would cost two more encodings per batch.
 * The bytes are exactly the protobuf encoding of the batch with {@code crc32c} set, so receivers
 * of any version parse and check them.
 */
final class BatchSealer implements MethodDescriptor.Marshaller<MessageBatch> {
    static final BatchSealer INSTANCE = new BatchSealer();

    /** The replicate method as senders call it: the generated one with this request marshaller. */
    static final MethodDescriptor<MessageBatch, StreamAccepted> METHOD = BatchChecksum.replicateMethod(INSTANCE);

    private BatchSealer() {
    }

    /** The bytes {@code batch}, which carries no seal yet, takes on the wire once sealed. */
    static int sealedSize(MessageBatch batch) {
        return batch.getSerializedSize() + BatchChecksum.SEAL_BYTES;
    }

    /** The sealed encoding of {@code batch}; a seal it already carries is replaced. */
    @Override
    public InputStream stream(MessageBatch batch) {
        return new SealedStream(batch.hasCrc32C() ? batch.toBuilder().clearCrc32C().build() : batch);
    }

    /** Senders never receive batches; this parses like a receiver, for completeness. */
    @Override
    public MessageBatch parse(InputStream stream) {
        return BatchUnsealer.INSTANCE.parse(stream).batch();
    }

    /**
     * A batch not encoded yet. gRPC drains it into its buffers in one pass; reading it instead
     * (which gRPC does not do for an uncompressed message) encodes it into an array first.
     */
    private static final class SealedStream extends InputStream implements Drainable, KnownLength {
        private final int size;
        /** Null once encoded. */
        private MessageBatch batch;
        /** The encoding, once something read rather than drained. */
        private ByteArrayInputStream encoded;

        SealedStream(MessageBatch batch) {
            this.batch = batch;
            this.size = sealedSize(batch);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            if (batch != null) {
                writeSealed(target);
                return size;
            }
            return encoded == null ? 0 : (int) encoded.transferTo(target);
        }

        @Override
        public int available() {
            if (batch != null) {
                return size;
            }
            return encoded == null ? 0 : encoded.available();
        }

        @Override
        public int read() throws IOException {
            return encoded().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return encoded().read(b, off, len);
        }

        private ByteArrayInputStream encoded() throws IOException {
            if (batch != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
                writeSealed(bytes);
                encoded = new ByteArrayInputStream(bytes.toByteArray());
            }
            return encoded == null ? new ByteArrayInputStream(new byte[0]) : encoded;
        }

        private void writeSealed(OutputStream target) throws IOException {
            CheckedOutputStream checked = new CheckedOutputStream(target, new CRC32C());
            batch.writeTo(checked);
            byte[] seal = new byte[BatchChecksum.SEAL_BYTES];
            BatchChecksum.writeSeal(seal, 0, (int) checked.getChecksum().getValue());
            target.write(seal);
            batch = null;
        }
    }
}
