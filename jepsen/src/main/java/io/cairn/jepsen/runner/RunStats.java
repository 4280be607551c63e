package io.cairn.jepsen.runner;

/** Counts of operations by outcome, and how long the cluster took to recover after healing. */
public record RunStats(long ok, long fail, long info, long faults, long recoveryMillis) {
}
