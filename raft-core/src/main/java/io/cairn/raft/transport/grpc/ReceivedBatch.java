package io.cairn.raft.transport.grpc;

import io.cairn.raft.transport.grpc.proto.MessageBatch;

/**
 * A replication batch as the receiver's marshaller read it, with what its seal said. The verdict
 * travels with the batch rather than being thrown from the marshaller: only the call's handler
 * knows whether the sender promised seals, and an exception thrown while parsing would reach the
 * sender as UNKNOWN instead of the DATA_LOSS that makes it redial on a fresh connection.
 *
 * @param computedCrc the checksum the receiver computed; meaningful for {@link Seal#MISMATCH} only
 */
record ReceivedBatch(MessageBatch batch, Seal seal, int computedCrc) {

    /** What the batch's seal said. */
    enum Seal {
        /** The checksum matches. */
        INTACT,
        /** The batch carries no checksum (fine only from senders that do not announce seals). */
        MISSING,
        /** The checksum does not match the batch: its bytes were damaged on the way. */
        MISMATCH
    }

    static ReceivedBatch intact(MessageBatch batch) {
        return new ReceivedBatch(batch, Seal.INTACT, batch.getCrc32C());
    }

    static ReceivedBatch missing(MessageBatch batch) {
        return new ReceivedBatch(batch, Seal.MISSING, 0);
    }

    static ReceivedBatch mismatch(MessageBatch batch, int computedCrc) {
        return new ReceivedBatch(batch, Seal.MISMATCH, computedCrc);
    }

    /** Why a sealed stream must refuse this batch, or null if it is intact. */
    String damage() {
        return switch (seal) {
            case INTACT -> null;
            case MISSING -> "replication batch without its checksum";
            case MISMATCH -> String.format("replication batch checksum mismatch: carried %08x, computed %08x over %d "
                    + "messages", batch.getCrc32C(), computedCrc, batch.getMessagesCount());
        };
    }
}
