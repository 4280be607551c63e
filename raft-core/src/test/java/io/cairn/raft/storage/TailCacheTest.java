package io.cairn.raft.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.core.Entry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailCacheTest {
    private static final int ENTRY_BYTES = 1_000 + 24; // payload plus Entry's fixed share

    @Test
    void keepsTheNewestEntriesWithinItsBoundAndLetsEvictedOnesGo() {
        TailCache cache = new TailCache(100L * ENTRY_BYTES);

        for (long index = 1; index <= 1_000; index++) {
            cache.add(Entry.normal(1, index, new byte[1_000]));
            // evicted entries are released at once, not only at the next bulk trim
            assertThat(cache.referencedBytes()).isLessThanOrEqualTo(100L * ENTRY_BYTES);
        }

        assertThat(cache.firstIndex()).isEqualTo(901);
        List<Entry> out = new ArrayList<>();
        long next = cache.read(901, 1_001, Long.MAX_VALUE, out, new long[1]);
        assertThat(next).isEqualTo(1_001);
        assertThat(out).extracting(Entry::index).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(901, 1_000).boxed().toList());
    }

    @Test
    void truncatingKeepsTheEntriesBeforeTheCut() {
        TailCache cache = new TailCache(10L * ENTRY_BYTES);
        for (long index = 1; index <= 30; index++) {
            cache.add(Entry.normal(1, index, new byte[1_000]));
        }

        cache.truncateFrom(28);
        cache.add(Entry.normal(2, 28, new byte[1_000]));

        assertThat(cache.firstIndex()).isEqualTo(21);
        assertThat(cache.get(27).term()).isEqualTo(1);
        assertThat(cache.get(28).term()).isEqualTo(2);
    }
}
