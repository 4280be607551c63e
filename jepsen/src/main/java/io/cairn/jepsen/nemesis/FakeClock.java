package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A member's wall clock under libfaketime: the library is preloaded and re-reads the member's
 * offset from a file every second, so the offset can change while the member runs.
 *
 * <p>Only {@code CLOCK_REALTIME} (and {@code time()}, {@code gettimeofday()}) is faked. The
 * monotonic clock behind {@code System.nanoTime} is left alone on purpose: a real monotonic
 * clock never jumps (NTP steps move only the wall clock), so faking it models no real fault, and
 * the JVM hangs when libfaketime fakes it (libfaketime's README). Cairn's election and heartbeat
 * timers, request timeouts and leader lease run on the monotonic clock; the wall clock reaches
 * the TTLs (the proposer's time, as in etcd v2), the stats' uptimes and the log timestamps.
 */
final class FakeClock {
    static final Path LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    private FakeClock() {
    }

    /** Where {@code node}'s offset lives: beside its data dir, so each run has its own. */
    static Path offsetFile(NodeSpec node) {
        return node.dataDir().resolveSibling("faketime.rc");
    }

    /** {@code launch} with libfaketime preloaded, reading {@code node}'s offset (zero to begin with). */
    static MemberLaunch preload(NodeSpec node, MemberLaunch launch) throws IOException {
        if (!Files.isReadable(LIBRARY)) {
            throw new IllegalStateException("clock faults need libfaketime (Debian package faketime): " + LIBRARY
                    + " is missing");
        }
        set(node, 0);
        return launch.withEnvironment(Map.of(
                MemberLaunch.LD_PRELOAD, LIBRARY.toString(),
                "FAKETIME_TIMESTAMP_FILE", offsetFile(node).toString(),
                // Re-read the offset once a second (the default is every 10 s). Reading it on every
                // call (FAKETIME_NO_CACHE) costs a file read per currentTimeMillis: members then missed
                // the harness's 60 s start deadline.
                "FAKETIME_CACHE_DURATION", "1",
                "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                // Every clock call takes a lock in libfaketime; while the JVM starts (JIT threads
                // timing everything) that made a start 5-30x slower. The harness's first fault comes
                // later than this anyway.
                "FAKETIME_START_AFTER_SECONDS", "15",
                // File times stay real: class loading and RocksDB stat files all the time.
                "NO_FAKE_STAT", "1"));
    }

    /** Sets {@code node}'s wall clock to real time plus {@code offsetSeconds} (may be negative). */
    static void set(NodeSpec node, long offsetSeconds) {
        Path file = offsetFile(node);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temp, (offsetSeconds < 0 ? "" : "+") + offsetSeconds + "\n");
            // Renamed into place: the library re-reads the file on every call and must never see it half-written.
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the fake clock of " + node.name(), e);
        }
    }

    static String describe(long offsetSeconds) {
        return (offsetSeconds < 0 ? "" : "+") + offsetSeconds + "s";
    }
}
