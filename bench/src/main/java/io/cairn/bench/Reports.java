package io.cairn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/** Results as JSON lines (one per run, appended) and as a Markdown table. */
final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Reports() {
    }

    static void appendJson(Path file, LoadResult result) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, JSON.writeValueAsString(result) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<LoadResult> readJson(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return JSON.readValue(l, LoadResult.class);
            } catch (IOException e) {
                throw new IllegalArgumentException("bad result line: " + l, e);
            }
        }).toList();
    }

    static String markdown(List<LoadResult> results) {
        StringBuilder md = new StringBuilder(
                "| server | operation | target | conns | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |\n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n",
                    r.server(), r.operation(), r.target(), r.connections(), r.throughput(), r.p50Micros() / 1000.0,
                    r.p90Micros() / 1000.0, r.p99Micros() / 1000.0, r.p999Micros() / 1000.0, r.maxMicros() / 1000.0,
                    r.errors()));
        }
        return md.toString();
    }
}
