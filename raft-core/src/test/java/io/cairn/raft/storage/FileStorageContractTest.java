package io.cairn.raft.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on real files (small segments, so most tests cross segment boundaries), plus restarts. */
class FileStorageContractTest extends StorageContractTest {
    @TempDir
    Path dir;

    private FileStorageOptions options() {
        return FileStorageOptions.builder().segmentBytes(4096).tailCacheBytes(1024).build();
    }

    @Override
    protected Storage newStorage() throws Exception {
        return FileStorage.open(dir, options());
    }

    private FileStorage reopen() throws Exception {
        storage.close();
        FileStorage reopened = FileStorage.open(dir, options());
        storage = reopened;
        return reopened;
    }

    private long segmentCount() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).count();
        }
    }

    @Test
    void logAndHardStateSurviveRestart() throws Exception {
        storage = newStorage();
        List<Entry> written = entries(1, 300, 2);
        await(storage.persist(null, written, new HardState(2, 3, 250)));
        assertThat(segmentCount()).isGreaterThanOrEqualTo(3);
        reopen();
        assertThat(storage.hardState()).isEqualTo(new HardState(2, 3, 250));
        assertThat(storage.firstIndex()).isEqualTo(1);
        assertThat(storage.lastIndex()).isEqualTo(300);
        assertThat(storage.entries(1, 301, Long.MAX_VALUE)).containsExactlyElementsOf(written);
        assertThat(storage.term(300)).isEqualTo(2);
    }

    @Test
    void aWriteThatOnlyMovesTheCommitIsNotForcedAndCloseMakesItDurable() throws Exception {
        FileStorage file = FileStorage.open(dir, options());
        storage = file;
        await(storage.persist(null, entries(1, 10, 1), new HardState(1, 0, 0)));
        long forces = file.stats().syncs();
        await(storage.persist(null, List.of(), new HardState(1, 0, 10)));
        assertThat(file.stats().syncs()).as("log forces after a commit-only write").isEqualTo(forces);
        assertThat(storage.hardState().commit()).isEqualTo(10);
        await(storage.persist(null, entries(11, 12, 1), null));
        assertThat(file.stats().syncs()).as("the next append forces").isEqualTo(forces + 1);
        await(storage.persist(null, List.of(), new HardState(1, 0, 12)));
        reopen();
        assertThat(storage.hardState().commit()).isEqualTo(12);
    }

    @Test
    void truncationAcrossSegmentsSurvivesRestart() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 300, 1), new HardState(1, 0, 20)));
        long before = segmentCount();
        await(storage.persist(null, entries(30, 35, 2), new HardState(2, 0, 20)));
        assertThat(segmentCount()).isLessThan(before);
        reopen();
        assertThat(storage.lastIndex()).isEqualTo(35);
        assertThat(storage.term(29)).isEqualTo(1);
        assertThat(storage.term(30)).isEqualTo(2);
        assertThat(storage.hardState().commit()).isEqualTo(20);
        await(storage.persist(null, entries(36, 40, 2), null));
        assertThat(storage.entries(30, 41, Long.MAX_VALUE)).containsExactlyElementsOf(entries(30, 40, 2));
    }

    @Test
    void commitIndexSurvivesTruncationOfItsRecord() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 10, 1), null));
        await(storage.persist(null, List.of(), new HardState(1, 0, 5)));
        // Cuts the segment before the commit record written above; the batch must restate it.
        await(storage.persist(null, entries(8, 8, 2), new HardState(2, 0, 5)));
        reopen();
        assertThat(storage.hardState()).isEqualTo(new HardState(2, 0, 5));
    }

    @Test
    void bootstrapAndSnapshotPointSurviveRestart() throws Exception {
        storage = newStorage();
        await(storage.persist(new SnapshotMetadata(0, 0, THREE), List.of(), null));
        reopen();
        assertThat(storage.snapshot()).isEqualTo(new SnapshotMetadata(0, 0, THREE));
        SnapshotMetadata meta = new SnapshotMetadata(50, 4, THREE);
        storeSnapshot(storage, meta, new byte[] {7});
        await(storage.persist(meta, entries(51, 60, 4), new HardState(4, 2, 50)));
        reopen();
        assertThat(storage.snapshot()).isEqualTo(meta);
        assertThat(storage.firstIndex()).isEqualTo(51);
        assertThat(storage.lastIndex()).isEqualTo(60);
        assertThat(storage.term(50)).isEqualTo(4);
        assertThat(storage.hardState()).isEqualTo(new HardState(4, 2, 50));
        assertThat(storage.snapshots().latest()).hasValueSatisfying(s -> assertThat(s.metadata()).isEqualTo(meta));
    }

    @Test
    void compactionDeletesWholeSegmentsAndSurvivesRestart() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 300, 1), new HardState(1, 0, 300)));
        long before = segmentCount();
        SnapshotMetadata meta = new SnapshotMetadata(250, 1, THREE);
        storeSnapshot(storage, meta, new byte[] {1});
        await(((FileStorage) storage).compactAsync(200));
        assertThat(segmentCount()).isLessThan(before);
        assertThat(storage.firstIndex()).isEqualTo(201);
        reopen();
        assertThat(storage.snapshot()).isEqualTo(meta);
        // Whole segments only: the restarted log may begin a little earlier, never later.
        assertThat(storage.firstIndex()).isBetween(2L, 201L);
        assertThat(storage.term(storage.firstIndex() - 1)).isEqualTo(1);
        assertThat(storage.entries(201, 301, Long.MAX_VALUE)).containsExactlyElementsOf(entries(201, 300, 1));
    }

    @Test
    void zeroFilledSpaceAheadOfTheRecordsIsReadAsTheirEnd() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 150, 1), new HardState(1, 0, 150)));
        List<Path> segments = ((FileStorage) storage).segmentFiles();
        Path active = segments.get(segments.size() - 1);
        // Allocated up to the segment size although it holds only a few records.
        assertThat(Files.size(active)).isEqualTo(4096);
        reopen();
        assertThat(storage.lastIndex()).isEqualTo(150);
        await(storage.persist(null, entries(151, 400, 1), null));
        reopen();
        assertThat(storage.lastIndex()).isEqualTo(400);
        assertThat(storage.entries(1, 401, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 400, 1));
    }

    @Test
    void emptyHardStatePersistCostsNoStateFileWrite() throws Exception {
        storage = newStorage();
        await(storage.persist(null, entries(1, 1, 1), new HardState(1, 1, 0)));
        long modified = Files.getLastModifiedTime(dir.resolve(StateFile.NAME)).toMillis();
        Object key = Files.readAttributes(dir.resolve(StateFile.NAME),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        for (int i = 2; i <= 20; i++) {
            await(storage.persist(null, entries(i, i, 1), new HardState(1, 1, i - 1)));
        }
        // Same inode: the file was not replaced although the commit index moved 19 times.
        assertThat(Files.readAttributes(dir.resolve(StateFile.NAME),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(key);
        assertThat(Files.getLastModifiedTime(dir.resolve(StateFile.NAME)).toMillis()).isEqualTo(modified);
        reopen();
        assertThat(storage.hardState()).isEqualTo(new HardState(1, 1, 19));
    }
}
