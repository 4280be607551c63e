package io.cairn.raft.sim;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.List;

/** One durable write a Ready asks for: optional snapshot (with its image), entries, optional hard state. */
record SimWrite(SnapshotMetadata snapshot, SnapshotImage image, List<Entry> entries, HardState hardState) {
    SimWrite {
        entries = List.copyOf(entries);
        if ((snapshot == null) != (image == null)) {
            throw new IllegalArgumentException("a snapshot write needs its image");
        }
    }
}
