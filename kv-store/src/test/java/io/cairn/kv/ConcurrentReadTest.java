package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads from other threads see whole applied batches, never half of one. */
class ConcurrentReadTest {
    @TempDir
    Path dir;

    @Test
    void readsDuringApplySeeWholeBatchesAndMatchingIndexes() throws Exception {
        readWhileApplyingPairs(store -> {
            Event e = store.get("/pair", true, true);
            List<Node> pair = e.node().nodes();
            assertThat(pair.get(0).value()).isEqualTo(pair.get(1).value());
            assertThat(e.etcdIndex()).isEqualTo(pair.get(1).modifiedIndex());
        });
    }

    @Test
    void aSingleKeyReadDuringApplyReportsTheIndexOfTheStateItRead() throws Exception {
        readWhileApplyingPairs(store -> {
            Event e = store.get("/pair/x", false, false);
            // x is set first in every batch and y right after it: the batch ends one index later
            assertThat(e.etcdIndex()).isEqualTo(e.node().modifiedIndex() + 1);
        });
    }

    /**
     * Applies up to 300 batches, each setting /pair/x and then /pair/y to the same new value,
     * while another thread runs {@code read} (which asserts) in a loop; rethrows its failure.
     */
    private void readWhileApplyingPairs(Consumer<KvStateMachine> read) throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            KvCommands c = f.commands;
            f.applyAll(List.of(c.set("/pair/x", "0", false, null, false), c.set("/pair/y", "0", false, null, false)));
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                while (!done.get()) {
                    read.accept(f.store);
                    reads.incrementAndGet();
                }
            });
            for (int i = 1; i <= 300 && !reader.isDone(); i++) {
                f.applyAll(List.of(c.set("/pair/x", "" + i, false, null, false),
                        c.set("/pair/y", "" + i, false, null, false)));
            }
            done.set(true);
            reader.get(); // rethrows an assertion failure from the reader thread
            assertThat(reads.get()).isPositive();
        }
    }
}
