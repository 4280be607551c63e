package io.cairn.raft.transport.grpc;

import com.google.protobuf.CodedInputStream;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.StreamAccepted;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The receiver's marshaller for replication batches: it reads each message's bytes once, parses
 * the batch from them and checks the seal over those same bytes (see
 * {@link BatchChecksum#check(MessageBatch, byte[])}), where checking a parsed batch would
 * cost another encoding. The verdict is handed on with the batch, never thrown: see
 * {@link ReceivedBatch}. Bytes that do not parse fail the call as gRPC's own protobuf
 * marshaller would.
 */
final class BatchUnsealer implements MethodDescriptor.Marshaller<ReceivedBatch> {
    static final BatchUnsealer INSTANCE = new BatchUnsealer();

    /** The replicate method as receivers serve it: the generated one with this request marshaller. */
    static final MethodDescriptor<ReceivedBatch, StreamAccepted> METHOD = BatchChecksum.replicateMethod(INSTANCE);

    private BatchUnsealer() {
    }

    /** Receivers never send batches; this seals the batch afresh, for completeness. */
    @Override
    public InputStream stream(ReceivedBatch received) {
        return BatchSealer.INSTANCE.stream(received.batch());
    }

    @Override
    public ReceivedBatch parse(InputStream stream) {
        byte[] bytes;
        try {
            bytes = readAll(stream);
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("Error reading replication batch").withCause(e).asRuntimeException();
        }
        MessageBatch batch;
        try {
            CodedInputStream input = CodedInputStream.newInstance(bytes);
            // entry payloads are copied out when decoded (MessageCodec), so they may share this array
            input.enableAliasing(true);
            batch = MessageBatch.parseFrom(input);
        } catch (IOException e) { // InvalidProtocolBufferException: reading an array fails no other way
            throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e).asRuntimeException();
        }
        return BatchChecksum.check(batch, bytes);
    }

    /** The whole message, copied once when gRPC says its length, as it does for received messages. */
    private static byte[] readAll(InputStream stream) throws IOException {
        if (!(stream instanceof KnownLength)) {
            return stream.readAllBytes();
        }
        int size = stream.available();
        byte[] bytes = new byte[size];
        int read = stream.readNBytes(bytes, 0, size);
        int next = read == size ? stream.read() : -1;
        if (read == size && next == -1) {
            return bytes;
        }
        // the length was not the whole story: take what is there
        ByteArrayOutputStream all = new ByteArrayOutputStream(Math.max(size, 32));
        all.write(bytes, 0, read);
        if (next != -1) {
            all.write(next);
        }
        stream.transferTo(all);
        return all.toByteArray();
    }
}
