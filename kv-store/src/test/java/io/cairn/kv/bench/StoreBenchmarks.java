package io.cairn.kv.bench;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.Event;
import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStateMachine;
import io.cairn.kv.KvStoreOptions;
import io.cairn.kv.internal.DataDir;
import io.cairn.raft.core.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Store hot paths: applying batches of 256-byte sets (the raft apply loop), a point get, and
 * listing a directory of 10,000 children. Run with {@code main} (see kv-store/README.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class StoreBenchmarks {

    /** One open store in a temp directory. */
    abstract static class StoreState {
        Path dir;
        KvStateMachine store;
        KvCommands commands = KvCommands.systemClock();
        long raftIndex;

        void open() throws IOException {
            dir = Files.createTempDirectory("kv-bench");
            store = KvStateMachine.open(KvStoreOptions.defaults(dir));
        }

        List<ApplyResult> apply(List<byte[]> cmds) {
            List<Entry> entries = new ArrayList<>(cmds.size());
            for (byte[] c : cmds) {
                entries.add(Entry.normal(1, ++raftIndex, c));
            }
            return store.apply(entries);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            DataDir.deleteTree(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class ApplyState extends StoreState {
        @Param({"1", "64", "512"})
        int batchSize;
        List<List<byte[]>> batches = new ArrayList<>();
        int next;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open();
            char[] value = new char[256];
            Arrays.fill(value, 'v');
            int key = 0;
            for (int b = 0; b < 64; b++) { // commands are prebuilt; the loop re-applies them at new indexes
                List<byte[]> batch = new ArrayList<>();
                for (int i = 0; i < batchSize; i++) {
                    batch.add(commands.set("/bench/k" + (key++ % 10_000), new String(value), false, null, false));
                }
                batches.add(batch);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class ReadState extends StoreState {
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open();
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                batch.add(commands.set("/big/child" + i, "value-" + i, false, null, false));
                if (batch.size() == 500) {
                    apply(batch);
                    batch.clear();
                }
            }
        }
    }

    /** One batch of {@code batchSize} sets per operation: entries/s = ops/s × batchSize. */
    @Benchmark
    public List<ApplyResult> applySetBatch(ApplyState s) {
        List<byte[]> batch = s.batches.get(s.next++ % s.batches.size());
        return s.apply(batch);
    }

    @Benchmark
    public Event getKey(ReadState s) {
        return s.store.get("/big/child4242", false, false);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Event listDirectoryOf10000(ReadState s) {
        return s.store.get("/big", false, true);
    }

    public static void main(String[] args) throws Exception {
        OptionsBuilder options = new OptionsBuilder();
        options.include(StoreBenchmarks.class.getSimpleName() + (args.length > 0 ? "." + args[0] : ""));
        new Runner(options.build()).run();
    }
}
