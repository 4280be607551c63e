package io.cairn.bench;

/**
 * The figures of one load run. Latencies in microseconds.
 *
 * @param target what the requests went to (leader, followers, all, or the endpoint list)
 */
public record LoadResult(
        String server,
        String operation,
        String target,
        int connections,
        int valueSize,
        long requests,
        long errors,
        double seconds,
        double throughput,
        long p50Micros,
        long p90Micros,
        long p99Micros,
        long p999Micros,
        long maxMicros) {
}
