package io.cairn.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What to run: which endpoints, how many connections, which operation, value size, key space,
 * and how long (a duration, or a request count when {@code requests > 0}). With
 * {@code sequentialKeys} PUTs walk the key space in order (to populate it) instead of at random.
 */
public record LoadSpec(
        List<URI> endpoints,
        int connections,
        Operation operation,
        int valueSize,
        int keys,
        Duration duration,
        long requests,
        Duration warmup,
        String prefix,
        boolean sequentialKeys) {

    public LoadSpec {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is required");
        }
        if (connections < 1 || valueSize < 0 || keys < 1) {
            throw new IllegalArgumentException("connections and keys must be positive, value size not negative");
        }
        endpoints = List.copyOf(endpoints);
    }
}
