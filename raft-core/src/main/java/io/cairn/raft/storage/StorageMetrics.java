package io.cairn.raft.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of the file store: how long a log fsync takes, how many entries each one covers (the
 * group-commit batch size) and how many bytes were written. Counts are also kept locally so the
 * store can report them without a registry. Meters are removed from the registry on close.
 */
final class StorageMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer fsyncTimer;
    private final DistributionSummary entriesPerSync;
    private final Counter bytesCounter;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    StorageMetrics(FileStorageOptions options) {
        this.registry = options.meterRegistry();
        if (registry == null) {
            fsyncTimer = null;
            entriesPerSync = null;
            bytesCounter = null;
            return;
        }
        fsyncTimer = add(Timer.builder("cairn.storage.fsync").description("Latency of one log fsync (group commit)")
                .tags(options.meterTags()).publishPercentileHistogram().register(registry));
        entriesPerSync = add(DistributionSummary.builder("cairn.storage.fsync.batch.entries")
                .description("Entries made durable by one log fsync").tags(options.meterTags())
                .publishPercentileHistogram().register(registry));
        bytesCounter = add(Counter.builder("cairn.storage.bytes.written").baseUnit("bytes")
                .description("Bytes written to log segments").tags(options.meterTags()).register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    void recordSync(long nanos, int entryCount, long bytesWritten) {
        syncs.incrementAndGet();
        entries.addAndGet(entryCount);
        bytes.addAndGet(bytesWritten);
        if (registry != null) {
            fsyncTimer.record(nanos, TimeUnit.NANOSECONDS);
            entriesPerSync.record(entryCount);
            bytesCounter.increment(bytesWritten);
        }
    }

    FileStorage.Stats snapshot() {
        return new FileStorage.Stats(syncs.get(), entries.get(), bytes.get());
    }

    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
    }
}
