package io.cairn.raft.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.core.SnapshotMetadata;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreContractTest extends SnapshotStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected SnapshotStore newStore() throws Exception {
        return FileSnapshotStore.open(dir);
    }

    @Override
    protected int retained(SnapshotStore store) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.toString().endsWith(".snap")).count();
        }
    }

    @Test
    void snapshotsSurviveReopenAndUnfinishedOnesAreRemoved() throws Exception {
        SnapshotStore store = newStore();
        SnapshotMetadata meta = new SnapshotMetadata(42, 3, CONFIG);
        write(store, meta, data(5000, 9));
        SnapshotStore.Writer unfinished = store.create(new SnapshotMetadata(50, 3, CONFIG));
        unfinished.output().write(data(100, 10));
        unfinished.output().flush();
        SnapshotStore reopened = FileSnapshotStore.open(dir);
        assertThat(reopened.latest().orElseThrow().metadata()).isEqualTo(meta);
        assertThat(read(reopened.latest().orElseThrow(), 0)).isEqualTo(data(5000, 9));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
        unfinished.close();
    }

    @Test
    void damagedMetadataIsReported() throws Exception {
        write(newStore(), new SnapshotMetadata(42, 3, CONFIG), data(100, 11));
        Path file = dir.resolve(FileSnapshotStore.fileName(new SnapshotMetadata(42, 3, CONFIG)));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(40);
            raf.write(raf.read() ^ 1);
        }
        assertThatThrownBy(() -> FileSnapshotStore.open(dir)).isInstanceOf(CorruptLogException.class);
    }

    @Test
    void damagedDataIsReportedWhenReadToTheEnd() throws Exception {
        SnapshotMetadata meta = new SnapshotMetadata(42, 3, CONFIG);
        write(newStore(), meta, data(10_000, 12));
        Path file = dir.resolve(FileSnapshotStore.fileName(meta));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 100);
            int b = raf.read();
            raf.seek(raf.length() - 100);
            raf.write(b ^ 4);
        }
        SnapshotStore.StoredSnapshot stored = FileSnapshotStore.open(dir).latest().orElseThrow();
        assertThatThrownBy(() -> read(stored, 0)).isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void powerCutDuringWriteLeavesTheOldSnapshotOrTheNewOneWhole() throws Exception {
        Path root = Path.of("/snap");
        SnapshotMetadata old = new SnapshotMetadata(10, 1, CONFIG);
        SnapshotMetadata fresh = new SnapshotMetadata(20, 2, CONFIG);
        PowerCutFileSystem probe = new PowerCutFileSystem();
        writeTwo(probe, root, old, fresh);
        long operations = probe.operations();
        Random random = new Random(7);
        for (long op = 1; op <= operations; op++) {
            PowerCutFileSystem fs = new PowerCutFileSystem();
            fs.captureBeforeOperation(op, random, () -> { });
            writeTwo(fs, root, old, fresh);
            SnapshotStore recovered = FileSnapshotStore.open(root, fs.capturedImage());
            if (recovered.latest().isPresent()) {
                SnapshotStore.StoredSnapshot s = recovered.latest().get();
                byte[] expected = s.metadata().equals(old) ? data(3000, 1) : data(7000, 2);
                assertThat(read(s, 0)).as("crash before operation " + op).isEqualTo(expected);
            }
        }
    }

    private static void writeTwo(PowerCutFileSystem fs, Path root, SnapshotMetadata a, SnapshotMetadata b)
            throws Exception {
        SnapshotStore store = FileSnapshotStore.open(root, fs);
        write(store, a, data(3000, 1));
        write(store, b, data(7000, 2));
    }
}
