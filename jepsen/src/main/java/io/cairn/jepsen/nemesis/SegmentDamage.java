package io.cairn.jepsen.nemesis;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Damage to the newest Raft log segment of a stopped member: a torn write (the file cut at a
 * random offset near the end of its records) or a flipped bit near the end of its records.
 * "The end of its records" is the last non-zero byte: segments are filled with zeros ahead of
 * their records.
 */
final class SegmentDamage {
    /** How far back from the end of the records a cut may land. */
    static final int TAIL_CUT_RANGE = 1024;
    /** How far back from the end of the records a flipped bit may land. */
    static final int FLIP_RANGE = 4096;

    private SegmentDamage() {
    }

    /** The newest segment of a member's log (Cairn's {@code *.log}, etcd's {@code *.wal}). */
    static Optional<Path> newestSegment(Path dataDir) throws IOException {
        Path wal = dataDir.resolve("member").resolve("wal");
        if (!Files.isDirectory(wal)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(wal)) {
            return files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".wal"))
                    .max(Comparator.comparing(f -> f.getFileName().toString()));
        }
    }

    /** Cuts {@code file} at a random offset among the last bytes of its records; says what it did. */
    static String cutTail(Path file, Random random) throws IOException {
        long end = endOfRecords(file);
        if (end == 0) {
            return "nothing to cut in empty " + file.getFileName();
        }
        long from = Math.max(1, end - TAIL_CUT_RANGE);
        long cut = from + (long) (random.nextDouble() * (end - from));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long size = raf.length();
            raf.setLength(cut);
            return "cut " + file.getFileName() + " from " + size + " to " + cut + " bytes (records ended at " + end + ")";
        }
    }

    /** Flips one random bit among the last bytes of the records of {@code file}; says where. */
    static String flipBit(Path file, Random random) throws IOException {
        long end = endOfRecords(file);
        if (end == 0) {
            return "no records to damage in " + file.getFileName();
        }
        long from = Math.max(0, end - FLIP_RANGE);
        long offset = from + (long) (random.nextDouble() * (end - from));
        int bit = random.nextInt(8);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ (1 << bit));
        }
        return "flipped bit " + bit + " at offset " + offset + " of " + file.getFileName() + " (records end at " + end + ")";
    }

    /** One past the last non-zero byte of {@code file}. */
    static long endOfRecords(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] block = new byte[64 * 1024];
            long end = raf.length();
            while (end > 0) {
                int n = (int) Math.min(block.length, end);
                raf.seek(end - n);
                raf.readFully(block, 0, n);
                for (int i = n - 1; i >= 0; i--) {
                    if (block[i] != 0) {
                        return end - n + i + 1;
                    }
                }
                end -= n;
            }
            return 0;
        }
    }
}
