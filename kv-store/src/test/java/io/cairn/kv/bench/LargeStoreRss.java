package io.cairn.kv.bench;

import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStateMachine;
import io.cairn.kv.KvStoreOptions;
import io.cairn.kv.internal.DataDir;
import io.cairn.raft.core.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads N keys (default 10 million, 100-byte values, 1,000 keys per directory) through the apply
 * path in batches of 512 and prints the process RSS as it grows, then reads a few keys and lists a
 * directory. Shows that memory is bounded by the configured caches, not the data size.
 * Usage: {@code java -Xmx256m -cp … io.cairn.kv.bench.LargeStoreRss [keys] [dir]}.
 */
public final class LargeStoreRss {
    private LargeStoreRss() {
    }

    public static void main(String[] args) throws Exception {
        long keys = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("kv-large");
        char[] fill = new char[100];
        Arrays.fill(fill, 'x');
        String value = new String(fill);
        KvCommands commands = KvCommands.systemClock();
        long start = System.nanoTime();
        long peakRss = 0;
        try (KvStateMachine store = KvStateMachine.open(KvStoreOptions.defaults(dir))) {
            long raftIndex = store.lastAppliedIndex();
            List<Entry> batch = new ArrayList<>(512);
            for (long i = 0; i < keys; i++) {
                batch.add(Entry.normal(1, ++raftIndex,
                        commands.set("/d" + (i / 1000) + "/k" + (i % 1000), value, false, null, false)));
                if (batch.size() == 512 || i == keys - 1) {
                    store.apply(batch);
                    batch = new ArrayList<>(512);
                }
                if ((i + 1) % 500_000 == 0 || i == keys - 1) {
                    long rss = rssKib();
                    peakRss = Math.max(peakRss, rss);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("%,d keys  %.0f s  %,.0f keys/s  RSS %,d MiB  heap used %,d MiB%n", i + 1, seconds,
                            (i + 1) / seconds, rss / 1024,
                            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
                }
            }
            long t = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                long k = (i * 7_919L) % keys;
                store.get("/d" + (k / 1000) + "/k" + (k % 1000), false, false);
            }
            System.out.printf("10,000 random gets: %.1f µs each%n", (System.nanoTime() - t) / 1e3 / 10_000);
            t = System.nanoTime();
            int listed = store.get("/d" + (keys / 2000), false, true).node().nodes().size();
            System.out.printf("list of %d children: %.1f ms%n", listed, (System.nanoTime() - t) / 1e6);
            System.out.printf("peak RSS %,d MiB; final RSS %,d MiB%n", Math.max(peakRss, rssKib()) / 1024, rssKib() / 1024);
        } finally {
            if (args.length < 2) {
                DataDir.deleteTree(dir);
            }
        }
    }

    private static long rssKib() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
