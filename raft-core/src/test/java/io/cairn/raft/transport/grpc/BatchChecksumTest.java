package io.cairn.raft.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.transport.grpc.proto.MessageBatch;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchChecksumTest {

    private static MessageBatch.Builder batchOf(long... indexes) {
        MessageBatch.Builder batch = MessageBatch.newBuilder();
        for (long index : indexes) {
            batch.addMessages(MessageCodec.encode(TransportFixture.append(1, 2, index, 64)));
        }
        return batch;
    }

    @Test
    void aSealedBatchVerifies() {
        MessageBatch sealed = BatchChecksum.seal(batchOf(1, 2, 3));
        assertThat(sealed.hasCrc32C()).isTrue();
        assertThatCode(() -> BatchChecksum.verify(sealed)).doesNotThrowAnyException();
        assertThatCode(() -> BatchChecksum.verify(BatchChecksum.seal(MessageBatch.newBuilder()))).doesNotThrowAnyException();
    }

    @Test
    void aBatchWithoutItsChecksumIsDataLoss() {
        assertThatThrownBy(() -> BatchChecksum.verify(batchOf(1).build()))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS))
                .hasMessageContaining("without its checksum");
    }

    @Test
    void aChangedByteThatStillParsesIsCaught() throws Exception {
        byte[] bytes = BatchChecksum.seal(batchOf(1, 2)).toByteArray();
        // the last payload byte of the second entry: the batch still parses, with other data
        int lastPayloadByte = bytes.length - 6;
        bytes[lastPayloadByte] ^= 0x01;
        MessageBatch garbled = MessageBatch.parseFrom(bytes);
        assertThatThrownBy(() -> BatchChecksum.verify(garbled)).hasMessageContaining("checksum mismatch");
    }

    @Test
    void aWindowShiftedIntoTheMessagesIsCaught() throws Exception {
        // bytes lost in front of a batch: what remains starts at the second message and
        // parses as a smaller batch of genuine messages, but its seal no longer matches
        MessageBatch sealed = BatchChecksum.seal(batchOf(1, 2));
        byte[] bytes = sealed.toByteArray();
        int firstMessageLength = sealed.getMessages(0).getSerializedSize() + 2; // tag and length prefix
        MessageBatch shifted = MessageBatch.parseFrom(Arrays.copyOfRange(bytes, firstMessageLength, bytes.length));
        assertThat(shifted.getMessagesCount()).isEqualTo(1);
        assertThatThrownBy(() -> BatchChecksum.verify(shifted)).hasMessageContaining("checksum mismatch");
    }
}
