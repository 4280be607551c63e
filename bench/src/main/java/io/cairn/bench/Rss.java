package io.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory and threads of a process, from /proc. */
final class Rss {
    private Rss() {
    }

    /** VmRSS in MiB, or -1 when the process is gone. */
    static long mib(long pid) {
        long kib = status(pid, "VmRSS:");
        return kib < 0 ? -1 : kib / 1024;
    }

    /** The process's thread count, or -1 when it is gone. */
    static long threads(long pid) {
        return status(pid, "Threads:");
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
