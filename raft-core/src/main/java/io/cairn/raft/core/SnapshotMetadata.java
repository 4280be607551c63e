package io.cairn.raft.core;

import java.util.Objects;

/**
 * Identifies a snapshot: the state after applying every entry up to {@code index}, whose term is
 * {@code term}, with the membership in force at that index.
 */
public record SnapshotMetadata(long index, long term, ClusterConfig config) {
    /** "No snapshot": the log starts at index 1. */
    public static final SnapshotMetadata EMPTY = new SnapshotMetadata(0, 0, ClusterConfig.EMPTY);

    public SnapshotMetadata {
        Objects.requireNonNull(config, "config");
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("negative index or term");
        }
    }

    public boolean isEmpty() {
        return index == 0;
    }
}
