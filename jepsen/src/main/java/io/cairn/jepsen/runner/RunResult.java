package io.cairn.jepsen.runner;

import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.checker.Verdict;
import java.nio.file.Path;
import java.util.List;

/** The outcome of one test: the combined verdict and each checker's result. */
public record RunResult(String name, long seed, Verdict verdict, List<CheckResult> results, Path dir, RunStats stats) {
}
