package io.cairn.raft.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.transport.grpc.ReceivedBatch.Seal;
import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.cairn.raft.transport.grpc.proto.RaftPeerGrpc;
import io.cairn.raft.transport.grpc.proto.WireMessage;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The seal of replication batches, as the two marshallers of the replicate call write and check it. */
class BatchChecksumTest {

    private static MessageBatch batchWithPayloads(int payloadBytes, long... indexes) {
        MessageBatch.Builder batch = MessageBatch.newBuilder();
        for (long index : indexes) {
            batch.addMessages(MessageCodec.encode(TransportFixture.append(1, 2, index, payloadBytes)));
        }
        return batch.build();
    }

    private static MessageBatch batchOf(long... indexes) {
        return batchWithPayloads(64, indexes);
    }

    /** CRC-32C computed here, independently of the code under test. */
    private static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** How senders of the previous version sealed a batch: set the field, let protobuf encode it. */
    private static byte[] sealedTheOldWay(MessageBatch batch) {
        return batch.toBuilder().setCrc32C(crc32c(batch.toByteArray())).build().toByteArray();
    }

    /** What the sender's marshaller hands gRPC, drained the way gRPC drains it. */
    private static byte[] sealed(MessageBatch batch) throws IOException {
        InputStream stream = BatchSealer.INSTANCE.stream(batch);
        int announced = stream.available();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int drained = ((Drainable) stream).drainTo(out);
        assertThat(drained).isEqualTo(announced).isEqualTo(out.size())
                .isEqualTo(BatchSealer.sealedSize(batch.toBuilder().clearCrc32C().build()));
        assertThat(stream.available()).isZero();
        return out.toByteArray();
    }

    /** What the receiver's marshaller makes of {@code bytes}, offered the way gRPC offers them. */
    private static ReceivedBatch received(byte[] bytes) {
        return BatchUnsealer.INSTANCE.parse(new KnownLengthStream(bytes));
    }

    private static byte[] withSeal(byte[] unsealed, int crc) {
        byte[] bytes = Arrays.copyOf(unsealed, unsealed.length + BatchChecksum.SEAL_BYTES);
        BatchChecksum.writeSeal(bytes, unsealed.length, crc);
        return bytes;
    }

    @Test
    void theSenderWritesExactlyWhatSendersOfThePreviousVersionWrote() throws IOException {
        // large payloads bypass protobuf's output buffer: the checksum must see those writes too
        for (MessageBatch batch : List.of(MessageBatch.getDefaultInstance(), batchOf(1), batchOf(1, 2, 3),
                batchWithPayloads(100_000, 1, 2))) {
            assertThat(sealed(batch)).isEqualTo(sealedTheOldWay(batch));
        }
    }

    @Test
    void readingTheSendersStreamGivesTheSameBytesAsDrainingIt() throws IOException {
        MessageBatch batch = batchOf(1, 2);
        InputStream stream = BatchSealer.INSTANCE.stream(batch);
        byte[] head = stream.readNBytes(3);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        ((Drainable) stream).drainTo(rest);
        byte[] all = Arrays.copyOf(head, head.length + rest.size());
        System.arraycopy(rest.toByteArray(), 0, all, head.length, rest.size());
        assertThat(all).isEqualTo(sealedTheOldWay(batch));
        assertThat(stream.read()).isEqualTo(-1);
    }

    @Test
    void aSealAlreadyOnTheBatchIsReplaced() throws IOException {
        MessageBatch batch = batchOf(1);
        assertThat(sealed(batch.toBuilder().setCrc32C(0xdead).build())).isEqualTo(sealedTheOldWay(batch));
    }

    @Test
    void aRoundTripIsIntact() throws IOException {
        for (MessageBatch batch : List.of(MessageBatch.getDefaultInstance(), batchOf(1, 2, 3),
                batchWithPayloads(100_000, 1))) {
            ReceivedBatch received = received(sealed(batch));
            assertThat(received.seal()).isEqualTo(Seal.INTACT);
            assertThat(received.damage()).isNull();
            assertThat(received.batch().hasCrc32C()).isTrue();
            assertThat(received.batch().toBuilder().clearCrc32C().build()).isEqualTo(batch);
        }
    }

    @Test
    void aStreamOfUnknownLengthIsReadWhole() throws IOException {
        MessageBatch batch = batchOf(1, 2);
        ReceivedBatch received = BatchUnsealer.INSTANCE.parse(new ByteArrayInputStream(sealed(batch)));
        assertThat(received.seal()).isEqualTo(Seal.INTACT);
        assertThat(received.batch().getMessagesList()).isEqualTo(batch.getMessagesList());
    }

    @Test
    void aBatchSealedTheOldWayIsIntact() {
        MessageBatch batch = batchOf(1, 2);
        ReceivedBatch received = received(sealedTheOldWay(batch));
        assertThat(received.seal()).isEqualTo(Seal.INTACT);
        assertThat(received.batch().getMessagesList()).isEqualTo(batch.getMessagesList());
    }

    @Test
    void aBatchWithoutItsSealIsMissingOne() {
        ReceivedBatch received = received(batchOf(1).toByteArray());
        assertThat(received.seal()).isEqualTo(Seal.MISSING);
        assertThat(received.damage()).isEqualTo("replication batch without its checksum");
        assertThat(received.batch().getMessagesCount()).isEqualTo(1);
    }

    @Test
    void everyFlippedBitIsRefusedOrDoesNotParse() throws IOException {
        byte[] bytes = sealed(batchWithPayloads(16, 1, 2));
        int mismatches = 0;
        for (int position = 0; position < bytes.length; position++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[position] ^= (byte) (1 << bit);
                ReceivedBatch received;
                try {
                    received = received(flipped);
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    continue;
                }
                assertThat(received.seal()).as("bit %d of byte %d of %d", bit, position, bytes.length)
                        .isNotEqualTo(Seal.INTACT);
                if (received.seal() == Seal.MISMATCH) {
                    mismatches++;
                }
            }
        }
        // most flips still parse (payload bytes, numbers): the seal is what catches them
        assertThat(mismatches).isGreaterThan(bytes.length * 4);
    }

    @Test
    void aChangedByteThatStillParsesIsAMismatch() throws IOException {
        byte[] bytes = sealed(batchOf(1, 2));
        // the last byte of the second message (its commit index): the batch still parses, with another value
        bytes[bytes.length - BatchChecksum.SEAL_BYTES - 1] ^= 0x01;
        ReceivedBatch received = received(bytes);
        assertThat(received.seal()).isEqualTo(Seal.MISMATCH);
        assertThat(received.damage()).isEqualTo(String.format("replication batch checksum mismatch: carried %08x, "
                + "computed %08x over 2 messages", received.batch().getCrc32C(), received.computedCrc()));
    }

    @Test
    void aWindowShiftedIntoTheMessagesIsAMismatch() throws IOException {
        // bytes lost in front of a batch: what remains starts at the second message and
        // parses as a smaller batch of genuine messages, but its seal no longer matches
        MessageBatch batch = batchOf(1, 2);
        byte[] bytes = sealed(batch);
        int firstMessageLength = batch.getMessages(0).getSerializedSize() + 2; // tag and length prefix
        ReceivedBatch shifted = received(Arrays.copyOfRange(bytes, firstMessageLength, bytes.length));
        assertThat(shifted.batch().getMessagesCount()).isEqualTo(1);
        assertThat(shifted.seal()).isEqualTo(Seal.MISMATCH);
        assertThat(shifted.damage()).contains("checksum mismatch");
    }

    @Test
    void theSealIsCheckedOverTheBytesAsRead() {
        // a bool written as 2: it parses as true, but re-encodes as 1
        byte[] nonCanonical = {0x0a, 0x02, 0x48, 0x02};
        ReceivedBatch received = received(withSeal(nonCanonical, crc32c(nonCanonical)));
        assertThat(received.seal()).isEqualTo(Seal.INTACT);
        assertThat(received.batch().getMessages(0).getReject()).isTrue();
        // re-encoding what was parsed could not have told
        assertThat(BatchChecksum.check(received.batch()).seal()).isEqualTo(Seal.MISMATCH);
    }

    @Test
    void aMismatchOverTheBytesIsConfirmedByReencodingBeforeTheBatchIsRefused() {
        // sealed over the canonical encoding, as any batch accepted by earlier receivers was
        byte[] canonical = MessageBatch.newBuilder().addMessages(WireMessage.newBuilder().setReject(true)).build()
                .toByteArray();
        assertThat(canonical).containsExactly(0x0a, 0x02, 0x48, 0x01);
        byte[] nonCanonical = {0x0a, 0x02, 0x48, 0x02};
        assertThat(received(withSeal(nonCanonical, crc32c(canonical))).seal()).isEqualTo(Seal.INTACT);
    }

    @Test
    void bytesThatDoNotParseFailTheCallAsGrpcsOwnMarshallerWould() {
        assertThatThrownBy(() -> received(new byte[] {0x0a, 0x05, 0x01}))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    }

    @Test
    void bothSidesCallTheGeneratedReplicateMethod() {
        MethodDescriptor<?, ?> generated = RaftPeerGrpc.getReplicateMethod();
        for (MethodDescriptor<?, ?> method : List.of(BatchSealer.METHOD, BatchUnsealer.METHOD)) {
            assertThat(method.getFullMethodName()).isEqualTo(generated.getFullMethodName());
            assertThat(method.getType()).isEqualTo(MethodDescriptor.MethodType.BIDI_STREAMING);
            assertThat(method.getResponseMarshaller()).isSameAs(generated.getResponseMarshaller());
        }
    }

    /** Like the streams gRPC hands a marshaller: their length is known up front. */
    private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
        KnownLengthStream(byte[] bytes) {
            super(bytes);
        }
    }
}
