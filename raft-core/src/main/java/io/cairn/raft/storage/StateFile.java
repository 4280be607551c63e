package io.cairn.raft.storage;

import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The small file holding the term, the vote, a commit index and the snapshot point. It is
 * replaced atomically (write a temporary file, force it, rename it over the old one, force the
 * directory), so a reader finds either the old or the new version, never a mix. It is rewritten
 * only when the term, the vote or the snapshot point changes; the commit index, which moves on
 * every batch, travels in the log instead (see {@link FileStorage}).
 */
final class StateFile {
    static final String NAME = "state";
    static final String TEMP_NAME = "state.tmp";
    private static final long MAGIC = 0x434149524E535431L; // "CAIRNST1"
    private static final int VERSION = 1;
    private static final int HEADER = 8 + 4 + 4 + 4;

    /** What the file holds. */
    record State(HardState hardState, SnapshotMetadata snapshot) {
        static final State EMPTY = new State(HardState.EMPTY, SnapshotMetadata.EMPTY);

        boolean sameTermVoteAndSnapshot(State other) {
            return hardState.term() == other.hardState.term() && hardState.votedFor() == other.hardState.votedFor()
                    && snapshot.equals(other.snapshot);
        }
    }

    private final FileIO io;
    private final Path dir;

    StateFile(FileIO io, Path dir) {
        this.io = io;
        this.dir = dir;
    }

    /** The stored state, or {@link State#EMPTY} for a new directory. */
    State read() throws IOException {
        Path file = dir.resolve(NAME);
        io.delete(dir.resolve(TEMP_NAME)); // an unfinished replacement never counts
        if (!io.exists(file)) {
            return State.EMPTY;
        }
        try (FileIO.Handle handle = io.open(file)) {
            long size = handle.size();
            if (size < HEADER) {
                throw new CorruptLogException(file, 0, "state file of " + size + " bytes");
            }
            ByteBuffer header = handle.readFully(0, HEADER);
            if (header.getLong() != MAGIC || header.getInt() != VERSION) {
                throw new CorruptLogException(file, 0, "not a state file of version " + VERSION);
            }
            int length = header.getInt();
            int crc = header.getInt();
            if (length < 0 || length != size - HEADER) {
                throw new CorruptLogException(file, 12, "length " + length + " in a file of " + size + " bytes");
            }
            ByteBuffer payload = handle.readFully(HEADER, length);
            if (LogRecords.crc(payload, 0, length) != crc) {
                throw new CorruptLogException(file, HEADER, "checksum mismatch");
            }
            HardState hardState = new HardState(payload.getLong(), payload.getLong(), payload.getLong());
            return new State(hardState, MetadataCodec.read(payload));
        } catch (RuntimeException e) {
            throw new CorruptLogException(file, 0, "undecodable state: " + e.getMessage());
        }
    }

    /** Durably replaces the stored state. */
    void write(State state) throws IOException {
        int length = 24 + MetadataCodec.size(state.snapshot());
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + length);
        buffer.position(HEADER);
        buffer.putLong(state.hardState().term()).putLong(state.hardState().votedFor())
                .putLong(state.hardState().commit());
        MetadataCodec.write(buffer, state.snapshot());
        buffer.putLong(0, MAGIC).putInt(8, VERSION).putInt(12, length)
                .putInt(16, LogRecords.crc(buffer, HEADER, length));
        buffer.flip();
        Path temp = dir.resolve(TEMP_NAME);
        io.delete(temp);
        try (FileIO.Handle handle = io.open(temp)) {
            handle.write(buffer, 0);
            handle.force();
        }
        io.rename(temp, dir.resolve(NAME));
        io.forceDirectory(dir);
    }
}
