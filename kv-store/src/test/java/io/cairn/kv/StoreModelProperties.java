package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.kv.internal.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Model-based property: random sequences of every operation (TTLs, refreshes, expiry on a virtual
 * clock, random batch boundaries) applied to the RocksDB store and to {@link ReferenceModel} give
 * identical results, indexes, trees and events.
 */
class StoreModelProperties {
    private static final String[] KEYS = {"/a", "/a/b", "/a/b/c", "/a/_h", "/b", "/_h", "/_h/x", "/c/d/e", "/a/b/d", "/"};
    private static final String[] VALUES = {"", "x", "y", "z"};

    @Provide
    Arbitrary<List<Long>> programs() {
        return Arbitraries.longs().list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 60)
    void storeBehavesLikeTheReferenceModel(@ForAll("programs") List<Long> program) throws IOException {
        Path dir = Files.createTempDirectory("kv-model");
        KvStoreOptions options = KvStoreOptions.defaults(dir).withBlockCacheBytes(4 << 20)
                .withWriteBuffers(2 << 20, 2).withWatcherBufferSize(100_000);
        try (StoreFixture f = new StoreFixture(dir, options)) {
            ReferenceModel model = new ReferenceModel();
            RecordingListener watcher = new RecordingListener();
            f.store.watch("/", true, true, 0, watcher);
            List<byte[]> batch = new ArrayList<>();
            List<ApplyResult> expected = new ArrayList<>();
            for (long seed : program) {
                Random r = new Random(seed);
                if (r.nextInt(10) == 0) { // a read, compared immediately (after flushing the batch)
                    flush(f, batch, expected);
                    String key = KEYS[r.nextInt(KEYS.length)];
                    boolean recursive = r.nextBoolean();
                    assertThat(read(() -> f.store.get(key, recursive, true)))
                            .isEqualTo(read(() -> model.get(key, recursive, nanos(f.clock.instant()))));
                    continue;
                }
                byte[] command = command(f, r);
                batch.add(command);
                expected.add(model.apply(command));
                if (r.nextInt(3) == 0) {
                    flush(f, batch, expected);
                }
            }
            flush(f, batch, expected);
            assertThat(f.store.etcdIndex()).isEqualTo(model.index);
            long now = nanos(f.clock.instant());
            assertThat(f.store.get("/", true, true)).isEqualTo(model.get("/", true, now));
            List<Event> visible = model.events.stream()
                    .filter(e -> !e.refresh() && !e.node().key().contains("/_")).toList();
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.events.size() >= visible.size());
            assertThat(watcher.events).containsExactlyElementsOf(visible);
        } finally {
            DataDir.deleteTree(dir);
        }
    }

    private static void flush(StoreFixture f, List<byte[]> batch, List<ApplyResult> expected) {
        if (batch.isEmpty()) {
            return;
        }
        assertThat(f.applyAll(batch)).containsExactlyElementsOf(expected);
        batch.clear();
        expected.clear();
    }

    private static byte[] command(StoreFixture f, Random r) {
        KvCommands c = f.commands;
        String key = KEYS[r.nextInt(KEYS.length)];
        String value = VALUES[r.nextInt(VALUES.length)];
        Long ttl = r.nextInt(3) == 0 ? (long) r.nextInt(6) : null;
        String prevValue = r.nextBoolean() ? VALUES[1 + r.nextInt(VALUES.length - 1)] : null;
        long prevIndex = r.nextBoolean() ? r.nextInt(12) : 0;
        if (prevValue == null && prevIndex == 0) {
            prevIndex = 1 + r.nextInt(12);
        }
        int kind = r.nextInt(100);
        if (kind < 20) {
            return c.set(key, value, r.nextInt(5) == 0, ttl, false);
        } else if (kind < 28) {
            return c.create(key, value, r.nextInt(4) == 0, ttl);
        } else if (kind < 36) {
            return c.update(key, r.nextInt(3) == 0 ? "" : value, ttl, false);
        } else if (kind < 46) {
            return c.compareAndSwap(key, value, ttl, false, prevValue, prevIndex);
        } else if (kind < 51) {
            return c.createInOrder(r.nextBoolean() ? "/q" : key, value, r.nextInt(4) == 0, ttl);
        } else if (kind < 61) {
            return c.delete(key, r.nextBoolean(), r.nextInt(3) == 0);
        } else if (kind < 67) {
            return c.compareAndDelete(key, prevValue, prevIndex);
        } else if (kind < 71) {
            return c.set(key, "", false, (long) r.nextInt(6), true);
        } else if (kind < 75) {
            return c.update(key, "", (long) r.nextInt(6), true);
        } else if (kind < 78) {
            return c.compareAndSwap(key, "", (long) r.nextInt(6), true, prevValue, prevIndex);
        } else {
            f.clock.advance(Duration.ofMillis(r.nextInt(3000)));
            return c.expire();
        }
    }

    private static Object read(java.util.function.Supplier<Event> get) {
        try {
            return get.get();
        } catch (EtcdException e) {
            return e;
        }
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
