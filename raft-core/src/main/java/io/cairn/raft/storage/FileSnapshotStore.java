package io.cairn.raft.storage;

import io.cairn.raft.core.SnapshotMetadata;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots as files {@code <index>-<term>.snap} in one directory. Each file starts with a header
 * (magic, lengths, checksums and the {@link SnapshotMetadata}) followed by the data. A snapshot
 * is written to {@code .tmp}, forced, renamed into place and the directory forced, so it is
 * either wholly there or absent. The newest {@value #KEEP} are kept. A stream opened at offset 0
 * checks the data's CRC32C when it reaches the end.
 */
public final class FileSnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    static final int KEEP = 2;
    private static final long MAGIC = 0x434149524E534E50L; // "CAIRNSNP"
    private static final int VERSION = 1;
    /** magic, version, metadata length, metadata crc, data crc, data length. */
    private static final int FIXED_HEADER = 8 + 4 + 4 + 4 + 4 + 8;
    private static final String SUFFIX = ".snap";
    private static final String TEMP_SUFFIX = ".tmp";

    private final FileIO io;
    private final Path dir;
    /** Committed snapshots, oldest first. Guarded by this. */
    private final List<FileSnapshot> committed = new ArrayList<>();

    private FileSnapshotStore(FileIO io, Path dir) {
        this.io = io;
        this.dir = dir;
    }

    /** Opens (creating) the snapshot directory {@code dir}, removing unfinished snapshots. */
    public static FileSnapshotStore open(Path dir, FileIO io) throws IOException {
        io.createDirectories(dir);
        FileSnapshotStore store = new FileSnapshotStore(io, dir);
        for (Path file : io.list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(TEMP_SUFFIX)) {
                io.delete(file);
            } else if (name.endsWith(SUFFIX)) {
                store.committed.add(store.load(file));
            }
        }
        store.committed.sort(ORDER);
        return store;
    }

    public static FileSnapshotStore open(Path dir) throws IOException {
        return open(dir, FileIO.nio());
    }

    private static final Comparator<FileSnapshot> ORDER = Comparator
            .comparingLong((FileSnapshot s) -> s.metadata.index()).thenComparingLong(s -> s.metadata.term());

    static String fileName(SnapshotMetadata m) {
        return String.format("%020d-%020d%s", m.index(), m.term(), SUFFIX);
    }

    private FileSnapshot load(Path file) throws IOException {
        try (FileIO.Handle handle = io.openExisting(file)) {
            long size = handle.size();
            if (size < FIXED_HEADER) {
                throw new CorruptLogException(file, 0, "snapshot file of " + size + " bytes");
            }
            ByteBuffer fixed = handle.readFully(0, FIXED_HEADER);
            if (fixed.getLong() != MAGIC || fixed.getInt() != VERSION) {
                throw new CorruptLogException(file, 0, "not a snapshot file of version " + VERSION);
            }
            int metaLength = fixed.getInt();
            int metaCrc = fixed.getInt();
            int dataCrc = fixed.getInt();
            long dataLength = fixed.getLong();
            if (metaLength < 0 || FIXED_HEADER + (long) metaLength + dataLength != size) {
                throw new CorruptLogException(file, 12, "lengths do not match a file of " + size + " bytes");
            }
            ByteBuffer meta = handle.readFully(FIXED_HEADER, metaLength);
            if (LogRecords.crc(meta, 0, metaLength) != metaCrc) {
                throw new CorruptLogException(file, FIXED_HEADER, "metadata checksum mismatch");
            }
            return new FileSnapshot(file, MetadataCodec.read(meta), FIXED_HEADER + metaLength, dataLength, dataCrc);
        }
    }

    @Override
    public synchronized Optional<StoredSnapshot> latest() {
        return committed.isEmpty() ? Optional.empty() : Optional.of(committed.get(committed.size() - 1));
    }

    @Override
    public Writer create(SnapshotMetadata metadata) throws IOException {
        return new FileWriter(metadata);
    }

    private synchronized FileSnapshot publish(FileSnapshot snapshot) {
        committed.removeIf(s -> s.path.equals(snapshot.path));
        committed.add(snapshot);
        committed.sort(ORDER);
        List<FileSnapshot> obsolete = new ArrayList<>();
        while (committed.size() > KEEP && committed.get(0) != snapshot) {
            obsolete.add(committed.remove(0));
        }
        for (FileSnapshot old : obsolete) {
            try {
                io.delete(old.path); // readers holding it open keep reading the old file
            } catch (IOException e) {
                LOG.warn("could not delete old snapshot {}", old.path, e);
            }
        }
        return snapshot;
    }

    private final class FileSnapshot implements StoredSnapshot {
        final Path path;
        final SnapshotMetadata metadata;
        final long dataOffset;
        final long dataLength;
        final int dataCrc;

        FileSnapshot(Path path, SnapshotMetadata metadata, long dataOffset, long dataLength, int dataCrc) {
            this.path = path;
            this.metadata = metadata;
            this.dataOffset = dataOffset;
            this.dataLength = dataLength;
            this.dataCrc = dataCrc;
        }

        @Override
        public SnapshotMetadata metadata() {
            return metadata;
        }

        @Override
        public long sizeBytes() {
            return dataLength;
        }

        @Override
        public InputStream open(long offset) throws IOException {
            if (offset < 0 || offset > dataLength) {
                throw new IllegalArgumentException("offset " + offset + " outside [0, " + dataLength + "]");
            }
            // Read from the start, the data is checked against its checksum when the end is reached.
            return new HandleInputStream(io.openExisting(path), dataOffset + offset, dataOffset + dataLength,
                    offset == 0 ? new CRC32C() : null, dataCrc, path);
        }

        @Override
        public String toString() {
            return path.getFileName().toString();
        }
    }

    private final class FileWriter implements Writer {
        private final SnapshotMetadata metadata;
        private final Path temp;
        private final FileIO.Handle handle;
        private final int dataOffset;
        private final CRC32C dataCrc = new CRC32C();
        private final OutputStream output;
        private long written;
        private boolean finished;

        FileWriter(SnapshotMetadata metadata) throws IOException {
            this.metadata = metadata;
            this.temp = dir.resolve(fileName(metadata) + "." + System.nanoTime() + TEMP_SUFFIX);
            this.handle = io.open(temp);
            this.dataOffset = FIXED_HEADER + MetadataCodec.size(metadata);
            this.output = new BufferedOutputStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (finished) {
                        throw new IOException("snapshot writer already finished");
                    }
                    handle.write(ByteBuffer.wrap(b, off, len), dataOffset + written);
                    dataCrc.update(b, off, len);
                    written += len;
                }
            }, 1 << 16);
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public StoredSnapshot commit() throws IOException {
            output.flush();
            if (finished) {
                throw new IOException("snapshot writer already finished");
            }
            finished = true;
            try {
                ByteBuffer header = ByteBuffer.allocate(dataOffset);
                header.position(FIXED_HEADER);
                MetadataCodec.write(header, metadata);
                header.putLong(0, MAGIC).putInt(8, VERSION).putInt(12, dataOffset - FIXED_HEADER)
                        .putInt(16, LogRecords.crc(header, FIXED_HEADER, dataOffset - FIXED_HEADER))
                        .putInt(20, (int) dataCrc.getValue()).putLong(24, written);
                header.position(0);
                handle.write(header, 0);
                handle.force();
                handle.close();
                Path target = dir.resolve(fileName(metadata));
                io.rename(temp, target);
                io.forceDirectory(dir);
                return publish(new FileSnapshot(target, metadata, dataOffset, written, (int) dataCrc.getValue()));
            } catch (IOException | RuntimeException e) {
                discard();
                throw e;
            }
        }

        @Override
        public void abort() {
            if (!finished) {
                finished = true;
                discard();
            }
        }

        private void discard() {
            try {
                handle.close();
                io.delete(temp);
            } catch (IOException e) {
                LOG.warn("could not discard unfinished snapshot {}", temp, e);
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    /** Streams a byte range of a file; verifies the checksum at the end when reading it all. */
    private static final class HandleInputStream extends InputStream {
        private final FileIO.Handle handle;
        private final long end;
        private final CRC32C crc;
        private final int expectedCrc;
        private final Path path;
        private long position;

        HandleInputStream(FileIO.Handle handle, long start, long end, CRC32C crc, int expectedCrc, Path path) {
            this.handle = handle;
            this.position = start;
            this.end = end;
            this.crc = crc;
            this.expectedCrc = expectedCrc;
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = handle.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new java.io.EOFException("snapshot file ends early");
            }
            position += n;
            if (crc != null) {
                crc.update(b, off, n);
                if (position == end && (int) crc.getValue() != expectedCrc) {
                    throw new CorruptLogException(path, 0, "snapshot data fails its checksum");
                }
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public void close() throws IOException {
            handle.close();
        }
    }
}
