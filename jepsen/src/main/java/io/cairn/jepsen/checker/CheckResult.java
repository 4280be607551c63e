package io.cairn.jepsen.checker;

import java.util.List;

/**
 * What one checker concluded.
 *
 * @param checker the checker's name
 * @param verdict valid, invalid or unknown
 * @param problems human-readable witnesses of what is wrong (empty when valid)
 */
public record CheckResult(String checker, Verdict verdict, List<String> problems) {

    public CheckResult {
        problems = List.copyOf(problems);
    }

    public static CheckResult valid(String checker) {
        return new CheckResult(checker, Verdict.VALID, List.of());
    }

    public static CheckResult of(String checker, List<String> problems) {
        return new CheckResult(checker, problems.isEmpty() ? Verdict.VALID : Verdict.INVALID, problems);
    }

    @Override
    public String toString() {
        return checker + ": " + verdict + (problems.isEmpty() ? "" : " " + problems.subList(0, Math.min(5, problems.size())));
    }
}
