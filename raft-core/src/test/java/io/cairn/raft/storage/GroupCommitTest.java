package io.cairn.raft.storage;

import static io.cairn.raft.storage.StorageContractTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fsync covers every request that arrived while the previous one was being forced. */
class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void requestsArrivingDuringAFsyncShareTheNextOne() throws Exception {
        // A file system whose first force blocks until every request is queued: the writer must
        // then take them all in one batch.
        CountDownLatch allQueued = new CountDownLatch(1);
        GatedFileIO gated = new GatedFileIO(new PowerCutFileSystem());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FileStorageOptions options = FileStorageOptions.builder().fileIO(gated).meterRegistry(registry).build();
        try (FileStorage storage = FileStorage.open(Path.of("/data"), options)) {
            gated.gate = allQueued;
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            futures.add(storage.persist(null, List.of(entry(1, 1)), null));
            for (long i = 2; i <= 500; i++) {
                futures.add(storage.persist(null, List.of(entry(i, 1)), null));
            }
            allQueued.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            FileStorage.Stats stats = storage.stats();
            assertThat(stats.entries()).isEqualTo(500);
            assertThat(stats.syncs()).isLessThanOrEqualTo(2);
            assertThat(registry.get("cairn.storage.fsync").timer().count()).isEqualTo(stats.syncs());
            assertThat(registry.get("cairn.storage.fsync.batch.entries").summary().max()).isGreaterThanOrEqualTo(499);
            assertThat(registry.get("cairn.storage.bytes.written").counter().count()).isEqualTo(stats.bytesWritten());
        }
        assertThat(registry.getMeters()).as("meters are removed on close").isEmpty();
    }

    @Test
    void concurrentProposersNeedFarFewerFsyncsThanEntries() throws Exception {
        int threads = 16;
        int perThread = 100;
        try (FileStorage storage = FileStorage.open(dir)) {
            // Each proposer reserves its index under a lock so the log stays contiguous, as the
            // node's event loop would, then waits for its own future.
            Object order = new Object();
            long[] next = {1};
            List<Thread> proposers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        for (int n = 0; n < perThread; n++) {
                            CompletableFuture<Void> f;
                            synchronized (order) {
                                f = storage.persist(null, List.of(entry(next[0]++, 1)), null);
                            }
                            f.get(10, TimeUnit.SECONDS);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                proposers.add(thread);
                thread.start();
            }
            for (Thread t : proposers) {
                t.join(30_000);
            }
            assertThat(failures).isEmpty();
            FileStorage.Stats stats = storage.stats();
            assertThat(stats.entries()).isEqualTo(threads * perThread);
            // Each fsync waits for at most one round of 16 proposers, so batches average well above one.
            assertThat(stats.syncs()).isLessThan(threads * perThread / 3);
        }
    }

    /** Delegates to another FileIO; once a gate is set, file forces wait for it to open. */
    private static final class GatedFileIO implements FileIO {
        private final FileIO delegate;
        volatile CountDownLatch gate;

        GatedFileIO(FileIO delegate) {
            this.delegate = delegate;
        }

        @Override
        public Handle open(Path file) throws java.io.IOException {
            Handle h = delegate.open(file);
            return new Handle() {
                @Override
                public long size() throws java.io.IOException {
                    return h.size();
                }

                @Override
                public int read(java.nio.ByteBuffer dst, long position) throws java.io.IOException {
                    return h.read(dst, position);
                }

                @Override
                public void write(java.nio.ByteBuffer src, long position) throws java.io.IOException {
                    h.write(src, position);
                }

                @Override
                public void truncate(long size) throws java.io.IOException {
                    h.truncate(size);
                }

                @Override
                public void force() throws java.io.IOException {
                    CountDownLatch g = gate;
                    try {
                        if (g != null && !g.await(10, TimeUnit.SECONDS)) {
                            throw new java.io.IOException("gate never opened");
                        }
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    h.force();
                }

                @Override
                public void close() throws java.io.IOException {
                    h.close();
                }
            };
        }

        @Override
        public Handle openExisting(Path file) throws java.io.IOException {
            return delegate.openExisting(file);
        }

        @Override
        public boolean exists(Path file) {
            return delegate.exists(file);
        }

        @Override
        public List<Path> list(Path d) throws java.io.IOException {
            return delegate.list(d);
        }

        @Override
        public void createDirectories(Path d) throws java.io.IOException {
            delegate.createDirectories(d);
        }

        @Override
        public void delete(Path file) throws java.io.IOException {
            delegate.delete(file);
        }

        @Override
        public void rename(Path from, Path to) throws java.io.IOException {
            delegate.rename(from, to);
        }

        @Override
        public void forceDirectory(Path d) throws java.io.IOException {
            delegate.forceDirectory(d);
        }
    }
}
