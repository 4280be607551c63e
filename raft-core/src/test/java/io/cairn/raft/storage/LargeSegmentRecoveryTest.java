package io.cairn.raft.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.HardState;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery reads segments a window at a time: records that straddle the window's edges, records
 * larger than the window, a preallocated zero tail and a torn last record far from the start
 * must all come out as they did when a segment was read whole.
 */
class LargeSegmentRecoveryTest {
    @TempDir
    Path dir;

    /** One segment of about 6 MiB, no tail cache: every read after the restart comes from disk. */
    private static FileStorageOptions options(long preallocation) {
        return FileStorageOptions.builder().segmentBytes(64 << 20).preallocationBytes(preallocation)
                .tailCacheBytes(0).build();
    }

    /** Entries of 1 byte to 40 KiB with three of 1.5 MiB among them, so records cross every window edge. */
    private static List<Entry> written() {
        Random random = new Random(42);
        List<Entry> out = new ArrayList<>();
        for (long i = 1; i <= 400; i++) {
            int size = i % 150 == 0 ? (3 << 20) / 2 : 1 + random.nextInt(40 << 10);
            byte[] data = new byte[size];
            random.nextBytes(data);
            out.add(Entry.normal(1 + i / 100, i, data));
        }
        return out;
    }

    private void write(List<Entry> entries, long preallocation) throws Exception {
        try (FileStorage storage = FileStorage.open(dir, options(preallocation))) {
            for (int from = 0; from < entries.size(); from += 25) {
                storage.persist(null, entries.subList(from, from + 25), new HardState(5, 0, from + 25))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path onlySegment() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).toList();
            assertThat(logs).hasSize(1);
            return logs.get(0);
        }
    }

    @Test
    void everyRecordComesBackWhateverWindowItCrosses() throws Exception {
        List<Entry> entries = written();
        write(entries, 16 << 20); // a zero tail of several windows after the records
        assertThat(Files.size(onlySegment())).isGreaterThan(6L << 20);

        try (FileStorage storage = FileStorage.open(dir, options(16 << 20))) {
            assertThat(storage.lastIndex()).isEqualTo(400);
            assertThat(storage.entries(1, 401, Long.MAX_VALUE)).containsExactlyElementsOf(entries);
        }
    }

    @Test
    void aTornLastRecordFarIntoTheSegmentIsCutOff() throws Exception {
        List<Entry> entries = written();
        write(entries, 0);
        Path segment = onlySegment();
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.setLength(raf.length() - 30); // the last commit record and part of entry 400
        }

        try (FileStorage storage = FileStorage.open(dir, options(0))) {
            assertThat(storage.lastIndex()).isEqualTo(399);
            assertThat(storage.entries(1, 400, Long.MAX_VALUE)).containsExactlyElementsOf(entries.subList(0, 399));
        }
    }
}
