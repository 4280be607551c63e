package io.cairn.raft.storage;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.Objects;

/**
 * Tunables of {@link FileStorage}. Build with {@link #builder()}; {@link #defaults()} suits a
 * server.
 */
public final class FileStorageOptions {
    private final long segmentBytes;
    private final long tailCacheBytes;
    private final int queueCapacity;
    private final MeterRegistry meterRegistry;
    private final List<Tag> meterTags;
    private final FileIO fileIO;
    private final long preallocationBytes;

    private FileStorageOptions(Builder b) {
        this.preallocationBytes = b.preallocationBytes;
        this.segmentBytes = b.segmentBytes;
        this.tailCacheBytes = b.tailCacheBytes;
        this.queueCapacity = b.queueCapacity;
        this.meterRegistry = b.meterRegistry;
        this.meterTags = List.copyOf(b.meterTags);
        this.fileIO = b.fileIO;
    }

    /** The defaults, suitable for a server. */
    public static FileStorageOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A segment is closed and a new one started once it reaches this size. Default 64 MiB. */
    public long segmentBytes() {
        return segmentBytes;
    }

    /**
     * Bytes of recent entries kept in memory for replication and apply. Default 4 MiB: some
     * thousands of entries, far more than a follower in the pipeline lags; one further behind
     * reads from the segment files (page cache) instead.
     */
    public long tailCacheBytes() {
        return tailCacheBytes;
    }

    /**
     * How many write requests may wait for the writer thread. When the queue is full,
     * {@link FileStorage#persist} blocks the caller until there is room (back-pressure; failing
     * instead would force the node to stop, since a failed persist is fatal). Default 4096.
     */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** Where to register meters, or null for none. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Tags added to every meter (e.g. the node id). */
    public List<Tag> meterTags() {
        return meterTags;
    }

    /** The file system; {@link FileIO#nio()} unless a test substitutes one. */
    public FileIO fileIO() {
        return fileIO;
    }

    /**
     * How far ahead of the records a segment is filled with zeros (within the segment size), so
     * most appends do not change the file size and their fsync is cheaper. 0 disables it.
     * Default 8 MiB.
     */
    public long preallocationBytes() {
        return preallocationBytes;
    }

    /** Builder with defaults. */
    public static final class Builder {
        private long segmentBytes = 64L << 20;
        private long tailCacheBytes = 4L << 20;
        private int queueCapacity = 4096;
        private MeterRegistry meterRegistry;
        private List<Tag> meterTags = List.of();
        private FileIO fileIO = FileIO.nio();
        private long preallocationBytes = 8L << 20;

        private Builder() {
        }

        /** See {@link FileStorageOptions#segmentBytes()}; between 4 KiB and 1 GiB. */
        public Builder segmentBytes(long bytes) {
            if (bytes < 4096 || bytes > (1L << 30)) {
                throw new IllegalArgumentException("segment size must be in [4 KiB, 1 GiB]: " + bytes);
            }
            this.segmentBytes = bytes;
            return this;
        }

        /** See {@link FileStorageOptions#tailCacheBytes()}; 0 disables the cache. */
        public Builder tailCacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative cache size");
            }
            this.tailCacheBytes = bytes;
            return this;
        }

        /** See {@link FileStorageOptions#queueCapacity()}. */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queue capacity must be positive");
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** Registers the store's meters in {@code registry} with {@code tags}; they are removed on close. */
        public Builder meterRegistry(MeterRegistry registry, Tag... tags) {
            this.meterRegistry = registry;
            this.meterTags = List.of(tags);
            return this;
        }

        /** Substitutes the file system (fault injection in tests). */
        public Builder fileIO(FileIO io) {
            this.fileIO = Objects.requireNonNull(io, "io");
            return this;
        }

        /** See {@link FileStorageOptions#preallocationBytes()}. */
        public Builder preallocationBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative preallocation");
            }
            this.preallocationBytes = bytes;
            return this;
        }

        /** The options. */
        public FileStorageOptions build() {
            return new FileStorageOptions(this);
        }
    }
}
