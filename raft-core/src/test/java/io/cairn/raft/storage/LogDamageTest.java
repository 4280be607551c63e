package io.cairn.raft.storage;

import static io.cairn.raft.storage.StorageContractTest.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.core.HardState;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage on disk: what a crash explains is repaired, anything else stops recovery with its location. */
class LogDamageTest {
    @TempDir
    Path dir;

    private static FileStorageOptions options() {
        return FileStorageOptions.builder().segmentBytes(4096).preallocationBytes(0).build();
    }

    /** Writes 1..400 (several segments), one persist per 10 entries, and closes. */
    @BeforeEach
    void writeLog() throws Exception {
        try (FileStorage storage = FileStorage.open(dir, options())) {
            for (long i = 1; i <= 400; i += 10) {
                storage.persist(null, entries(i, i + 9, 1), new HardState(1, 0, i)).get(10, TimeUnit.SECONDS);
            }
            assertThat(storage.segmentFiles()).hasSizeGreaterThan(2);
        }
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    private Path lastSegment() throws Exception {
        List<Path> all = segments();
        return all.get(all.size() - 1);
    }

    private static void flipBit(Path file, long offset) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x10);
        }
    }

    private static void truncate(Path file, long size) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    @Test
    void tornLastRecordIsCutOff() throws Exception {
        Path last = lastSegment();
        long size = Files.size(last);
        truncate(last, size - 20); // the final commit record (18 bytes) and part of entry 400
        try (FileStorage storage = FileStorage.open(dir, options())) {
            assertThat(storage.lastIndex()).isEqualTo(399);
            assertThat(storage.entries(1, 400, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 399, 1));
            storage.persist(null, entries(400, 401, 2), null).get(10, TimeUnit.SECONDS);
        }
        try (FileStorage storage = FileStorage.open(dir, options())) {
            assertThat(storage.lastIndex()).isEqualTo(401);
            assertThat(storage.term(401)).isEqualTo(2);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCutOff() throws Exception {
        Path last = lastSegment();
        long size = Files.size(last);
        Files.write(last, new byte[] {0, 0, 1, 0, 42, 42, 42}, java.nio.file.StandardOpenOption.APPEND);
        try (FileStorage storage = FileStorage.open(dir, options())) {
            assertThat(storage.lastIndex()).isEqualTo(400);
        }
        assertThat(Files.size(last)).isEqualTo(size);
    }

    @Test
    void flippedBitInTheMiddleOfTheLastSegmentIsReported() throws Exception {
        Path last = lastSegment();
        long offset = Segment.HEADER + 20;
        flipBit(last, offset);
        assertThatThrownBy(() -> FileStorage.open(dir, options()))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(last);
                    assertThat(e.offset()).isEqualTo(Segment.HEADER);
                })
                .hasMessageContaining("followed by a valid one");
    }

    /**
     * Appends entry 401 alone (no commit record after it) with zeros written ahead of it, and
     * returns the offset of its record, the last one of the newest segment.
     */
    private long appendLoneEntry() throws Exception {
        FileStorageOptions preallocating = FileStorageOptions.builder().segmentBytes(4096).preallocationBytes(4096).build();
        try (FileStorage storage = FileStorage.open(dir, preallocating)) {
            storage.persist(null, entries(401, 401, 2), null).get(10, TimeUnit.SECONDS);
        }
        Path last = lastSegment();
        byte[] bytes = Files.readAllBytes(last);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end - LogRecords.entryFrameSize(StorageContractTest.entry(401, 2));
    }

    @Test
    void flippedBitInACompleteLastRecordIsReportedNotCutOff() throws Exception {
        // Regression: the last record of the newest segment, fsynced and possibly acknowledged, used to be
        // cut off as if torn when a bit flipped in it, and the member silently forgot entry 401.
        long record = appendLoneEntry();
        Path last = lastSegment();
        flipBit(last, record + LogRecords.FRAME_HEADER + 12);
        assertThatThrownBy(() -> FileStorage.open(dir, options()))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(last);
                    assertThat(e.offset()).isEqualTo(record);
                })
                .hasMessageContaining("complete record").hasMessageContaining("may have been acknowledged");
    }

    @Test
    void flippedBitInTheLengthOfTheLastRecordIsReported() throws Exception {
        long record = appendLoneEntry();
        flipBit(lastSegment(), record + 2); // the length now reaches into the zeros ahead of the records
        assertThatThrownBy(() -> FileStorage.open(dir, options()))
                .isInstanceOf(CorruptLogException.class).hasMessageContaining("whose length field says");
    }

    @Test
    void lastRecordWhoseEndNeverReachedTheDiskIsCutOff() throws Exception {
        long record = appendLoneEntry();
        int frame = LogRecords.entryFrameSize(StorageContractTest.entry(401, 2));
        try (RandomAccessFile raf = new RandomAccessFile(lastSegment().toFile(), "rw")) {
            raf.seek(record + frame - 5);
            raf.write(new byte[5]); // a torn write: the record's last bytes are still the zeros written ahead
        }
        try (FileStorage storage = FileStorage.open(dir, options())) {
            assertThat(storage.lastIndex()).isEqualTo(400);
        }
    }

    @Test
    void strayBitInTheZerosAfterTheLastRecordIsCutOff() throws Exception {
        long record = appendLoneEntry();
        int frame = LogRecords.entryFrameSize(StorageContractTest.entry(401, 2));
        flipBit(lastSegment(), record + frame + 100);
        try (FileStorage storage = FileStorage.open(dir, options())) {
            assertThat(storage.lastIndex()).isEqualTo(401);
            assertThat(storage.term(401)).isEqualTo(2);
        }
    }

    @Test
    void flippedBitInAnEarlierSegmentIsReported() throws Exception {
        Path first = segments().get(0);
        flipBit(first, Files.size(first) - 3); // even the last record of a complete segment
        assertThatThrownBy(() -> FileStorage.open(dir, options()))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.file()).isEqualTo(first));
    }

    @Test
    void truncatedEarlierSegmentIsReported() throws Exception {
        Path first = segments().get(0);
        truncate(first, Files.size(first) / 2);
        assertThatThrownBy(() -> FileStorage.open(dir, options())).isInstanceOf(CorruptLogException.class);
    }

    @Test
    void missingMiddleSegmentIsReported() throws Exception {
        Files.delete(segments().get(1));
        assertThatThrownBy(() -> FileStorage.open(dir, options()))
                .isInstanceOf(CorruptLogException.class).hasMessageContaining("next segment starts at");
    }

    @Test
    void flippedBitInTheHeaderOfTheLastSegmentIsReportedNotDeleted() throws Exception {
        // Regression: a last segment whose header failed its check was deleted as if created just
        // before a crash, with every (acknowledged) entry in it.
        Path last = lastSegment();
        flipBit(last, 20);
        assertThatThrownBy(() -> FileStorage.open(dir, options()))
                .isInstanceOf(CorruptLogException.class).hasMessageContaining("bad segment header in front of records");
        assertThat(last).exists();
    }

    @Test
    void lastSegmentWithoutCompleteHeaderIsRemoved() throws Exception {
        Path last = lastSegment();
        truncate(last, 10);
        try (FileStorage storage = FileStorage.open(dir, options())) {
            long lastIndex = storage.lastIndex();
            assertThat(lastIndex).isLessThan(400);
            assertThat(storage.entries(1, lastIndex + 1, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, lastIndex, 1));
        }
        assertThat(last).doesNotExist();
    }

    @Test
    void corruptionFoundWhileReadingIsReported() throws Exception {
        try (FileStorage storage = FileStorage.open(dir, FileStorageOptions.builder().segmentBytes(4096)
                .tailCacheBytes(0).build())) {
            flipBit(segments().get(0), Segment.HEADER + 30);
            assertThatThrownBy(() -> storage.entries(1, 3, Long.MAX_VALUE))
                    .hasCauseInstanceOf(CorruptLogException.class);
        }
    }

    @Test
    void damagedStateFileIsReported() throws Exception {
        flipBit(dir.resolve(StateFile.NAME), 30);
        assertThatThrownBy(() -> FileStorage.open(dir, options())).isInstanceOf(CorruptLogException.class);
    }
}
