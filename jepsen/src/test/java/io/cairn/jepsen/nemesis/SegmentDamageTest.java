package io.cairn.jepsen.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentDamageTest {
    @TempDir
    Path dir;

    /** A segment-like file: 10,000 bytes of records (never zero), then 6,000 zeros written ahead. */
    private Path segment() throws Exception {
        Path wal = Files.createDirectories(dir.resolve("member").resolve("wal"));
        byte[] bytes = new byte[16_000];
        Arrays.fill(bytes, 0, 10_000, (byte) 7);
        Files.write(wal.resolve("00000000000000000001.log"), new byte[] {1});
        return Files.write(wal.resolve("00000000000000000042.log"), bytes);
    }

    @Test
    void theNewestSegmentIsTheOneWithTheHighestFirstIndex() throws Exception {
        Path newest = segment();
        assertThat(SegmentDamage.newestSegment(dir)).contains(newest);
        assertThat(SegmentDamage.newestSegment(dir.resolve("elsewhere"))).isEmpty();
    }

    @Test
    void theCutLandsNearTheEndOfTheRecords() throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            Path file = segment();
            assertThat(SegmentDamage.endOfRecords(file)).isEqualTo(10_000);
            SegmentDamage.cutTail(file, random);
            assertThat(Files.size(file)).isBetween(10_000L - SegmentDamage.TAIL_CUT_RANGE, 9_999L);
        }
    }

    @Test
    void exactlyOneBitFlipsNearTheEndOfTheRecords() throws Exception {
        Random random = new Random(2);
        for (int i = 0; i < 20; i++) {
            Path file = segment();
            byte[] before = Files.readAllBytes(file);
            SegmentDamage.flipBit(file, random);
            byte[] after = Files.readAllBytes(file);
            int changed = 0;
            for (int p = 0; p < before.length; p++) {
                if (before[p] != after[p]) {
                    changed++;
                    assertThat(p).isBetween(10_000 - SegmentDamage.FLIP_RANGE, 9_999);
                    assertThat(Integer.bitCount((before[p] ^ after[p]) & 0xff)).isEqualTo(1);
                }
            }
            assertThat(changed).isEqualTo(1);
        }
    }
}
