package io.cairn.raft.bench;

import io.cairn.raft.core.Entry;
import io.cairn.raft.storage.FileStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Log append with group commit: each proposer thread persists one entry and waits until it is
 * durable, so throughput (ops/s = entries/s) shows how well one fsync is shared. {@code rawFsync}
 * is the disk's own rate for a 4 KiB append + fdatasync, the ceiling without batching.
 *
 * <p>Run (short iterations, the machine is shared):
 * <pre>
 * mvn -o -q -pl raft-core -am test-compile -DskipTests &amp;&amp; mvn -o -q -pl raft-core exec:exec \
 *   -Dexec.executable=java -Dexec.classpathScope=test \
 *   "-Dexec.args=-cp %classpath io.cairn.raft.bench.LogAppendBenchmark"
 * </pre>
 * Any arguments are passed to JMH instead of the defaults (e.g. {@code -wi 1 -i 5 rawFsync}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LogAppendBenchmark {

    /** One store shared by all proposer threads of a trial. */
    @State(Scope.Benchmark)
    public static class Store {
        @Param("256")
        public int entryBytes;

        Path dir;
        FileStorage storage;
        byte[] payload;
        /** Index assignment and submission happen under one lock, as in the node's event loop. */
        final Object order = new Object();
        long next = 1;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("cairn-bench-log");
            storage = FileStorage.open(dir);
            payload = new byte[entryBytes];
            new java.util.Random(1).nextBytes(payload);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            System.out.println("\n" + storage.stats() + " entries/fsync="
                    + (double) storage.stats().entries() / Math.max(1, storage.stats().syncs()));
            storage.close();
            deleteRecursively(dir);
        }

        void proposeAndWait() {
            CompletableFuture<Void> durable;
            synchronized (order) {
                durable = storage.persist(null, List.of(Entry.normal(1, next++, payload)), null);
            }
            durable.join();
        }
    }

    @Benchmark
    @Threads(1)
    public void append1(Store store) {
        store.proposeAndWait();
    }

    @Benchmark
    @Threads(16)
    public void append16(Store store) {
        store.proposeAndWait();
    }

    @Benchmark
    @Threads(64)
    public void append64(Store store) {
        store.proposeAndWait();
    }

    /** A file appended 4 KiB at a time, each write forced. */
    @State(Scope.Thread)
    public static class RawFile {
        Path dir;
        FileChannel channel;
        final ByteBuffer block = ByteBuffer.allocateDirect(4096);
        long position;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("cairn-bench-fsync");
            channel = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            deleteRecursively(dir);
        }
    }

    @Benchmark
    @Threads(1)
    public void rawFsync(RawFile file) throws IOException {
        file.block.clear();
        file.channel.write(file.block, file.position);
        file.position += 4096;
        if (file.position >= (64L << 20)) {
            file.channel.truncate(0);
            file.position = 0;
        }
        file.channel.force(false);
    }

    /** The same, overwriting a file whose blocks were written beforehand: no size change to sync. */
    @State(Scope.Thread)
    public static class PreallocatedFile extends RawFile {
        @Setup(Level.Trial)
        @Override
        public void open() throws IOException {
            super.open();
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long p = 0; p < (64L << 20); p += zeros.capacity()) {
                zeros.clear();
                channel.write(zeros, p);
            }
            channel.force(true);
        }
    }

    @Benchmark
    @Threads(1)
    public void preallocatedFsync(PreallocatedFile file) throws IOException {
        file.block.clear();
        file.channel.write(file.block, file.position);
        file.position = (file.position + 4096) % (64L << 20);
        file.channel.force(false);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder().include(LogAppendBenchmark.class.getName()).build()).run();
    }
}
