package io.cairn.raft.storage;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.SnapshotMetadata;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/** Binary form of {@link SnapshotMetadata}: {@code [long index][long term][voters][learners]}, each set as a count and ids. */
final class MetadataCodec {
    private MetadataCodec() {
    }

    static int size(SnapshotMetadata m) {
        return 8 + 8 + 4 + 8 * m.config().voters().size() + 4 + 8 * m.config().learners().size();
    }

    static void write(ByteBuffer out, SnapshotMetadata m) {
        out.putLong(m.index()).putLong(m.term());
        writeIds(out, m.config().voters());
        writeIds(out, m.config().learners());
    }

    static SnapshotMetadata read(ByteBuffer in) {
        long index = in.getLong();
        long term = in.getLong();
        Set<Long> voters = readIds(in);
        Set<Long> learners = readIds(in);
        return new SnapshotMetadata(index, term, new ClusterConfig(voters, learners));
    }

    private static void writeIds(ByteBuffer out, Set<Long> ids) {
        out.putInt(ids.size());
        for (long id : ids) {
            out.putLong(id);
        }
    }

    private static Set<Long> readIds(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 8) {
            throw new IllegalStateException("bad member count " + count);
        }
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(in.getLong());
        }
        return ids;
    }
}
