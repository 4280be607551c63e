package io.cairn.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential suite: every sequence in {@code sequences/} is played against a fresh single-member etcd
 * 3.4 and then against a fresh single-member Cairn, both real processes started with the same etcd flags on the
 * same loopback ports (so member and cluster ids are comparable), and the normalized responses must be equal.
 * Sequences share one server per flavor and keep apart by key prefix. {@code -Dcompat.candidate=ETCD} plays
 * etcd against itself, which checks the suite's own determinism.
 */
class DifferentialSuiteTest {

    static final List<String> FILES = List.of("00-root.seq", "01-http.seq", "03-params.seq", "05-get.seq",
            "05-set.seq", "05-create-update.seq", "05-cas-cad.seq", "05-delete.seq", "06-dirs.seq", "07-inorder.seq",
            "08-ttl.seq", "09-watch.seq", "10-headers.seq", "11-errors.seq", "13-members.seq", "14-other.seq",
            "17-subtle.seq");

    private static final Map<String, List<ObjectNode>> etcdRun = new LinkedHashMap<>();
    private static final Map<String, List<ObjectNode>> cairnRun = new LinkedHashMap<>();
    private static final List<String> report = new ArrayList<>();
    private static List<Sequence> sequences;
    private static Map<String, String> knownFailures;
    private static Map<String, String> allowedDifferences;
    private static Flavor candidate;

    @BeforeAll
    static void playEverySequenceOnBothServers(@TempDir Path dir) throws IOException {
        assumeTrue(Flavor.etcdInstalled(), "compat suite skipped: /usr/bin/etcd or /usr/bin/etcdctl not installed "
                + "(apt-get install -y etcd-server etcd-client python3-etcd)");
        candidate = Flavor.valueOf(System.getProperty("compat.candidate", "CAIRN"));
        assumeTrue(candidate.servesHttp(), Flavor.NOT_WIRED);
        sequences = Sequence.load("sequences", FILES);
        knownFailures = table("known-failures.txt");
        allowedDifferences = table("allowed-differences.txt");
        allowedDifferences.putAll(table("allowed-differences-" + candidate + ".txt"));
        play(Flavor.ETCD, dir.resolve("etcd"), etcdRun);
        play(candidate, dir.resolve("candidate"), cairnRun);
    }

    private static void play(Flavor flavor, Path dir, Map<String, List<ObjectNode>> into) {
        int client = CompatPorts.block(0);
        int[] clients = {client};
        int[] peers = {client + 1};
        try (MemberProcess member = MemberProcess.member(flavor, dir, 0, clients, peers).start()) {
            try {
                member.awaitServing(Duration.ofSeconds(60)).awaitWritable(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                String why = flavor + " did not start: " + e.getMessage() + "\n" + tail(member.log());
                sequences.forEach(s -> into.put(s.id(), List.of(failure(why))));
                return;
            }
            SequenceRunner runner = new SequenceRunner(member.clientPort());
            for (Sequence sequence : sequences) {
                into.put(sequence.id(), runner.run(sequence));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everySequenceMatchesEtcd() {
        return sequences.stream().map(sequence -> DynamicTest.dynamicTest(sequence.toString(), () -> {
            List<String> differences = compare(etcdRun.get(sequence.id()), cairnRun.get(sequence.id()), sequence);
            // known Cairn bugs say nothing about etcd played against itself
            String known = candidate == Flavor.ETCD ? null : knownFailures.get(sequence.name());
            if (differences.isEmpty()) {
                report.add("PASS  " + sequence);
                assertThat(known).as("%s is listed as a known failure but now matches etcd: remove it from "
                        + "known-failures.txt", sequence).isNull();
                return;
            }
            report.add((known != null ? "KNOWN " : "FAIL  ") + sequence + (known != null ? "  (" + known + ")" : "")
                    + "\n      " + String.join("\n      ", differences));
            if (known == null) {
                throw new AssertionError(sequence + " differs from etcd (" + sequence.file() + "):\n"
                        + String.join("\n", differences) + "\netcd:  " + etcdRun.get(sequence.id())
                        + "\ncairn: " + cairnRun.get(sequence.id()));
            }
        }));
    }

    private static List<String> compare(List<ObjectNode> etcd, List<ObjectNode> cairn, Sequence sequence) {
        List<String> differences = new ArrayList<>();
        int steps = Math.max(etcd.size(), cairn.size());
        for (int i = 0; i < steps; i++) {
            ObjectNode e = i < etcd.size() ? etcd.get(i) : null;
            ObjectNode c = i < cairn.size() ? cairn.get(i) : null;
            String step = (e != null ? e : c).path("step").asText();
            for (String difference : JsonDiff.differences(e, c)) {
                if (!isAllowed(sequence, difference)) {
                    differences.add("step " + (i + 1) + " `" + step + "` " + difference);
                }
            }
        }
        return differences;
    }

    /** An allow-list entry names a JSON path prefix of a difference; sequence "*" means every sequence. */
    private static boolean isAllowed(Sequence sequence, String difference) {
        return allowedDifferences.keySet().stream().anyMatch(entry -> {
            String[] parts = entry.split("\\s*@\\s*", 2);
            boolean sequenceMatches = parts[0].equals("*") || parts[0].equals(sequence.name());
            return sequenceMatches && difference.startsWith(parts[1]);
        });
    }

    @AfterAll
    static void writeReport() throws IOException {
        if (sequences == null) {
            return;
        }
        long passed = report.stream().filter(line -> line.startsWith("PASS")).count();
        String summary = passed + "/" + sequences.size() + " sequences match etcd (candidate " + candidate + ")";
        Path out = Path.of("target", "compat-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, summary + "\n" + String.join("\n", report) + "\n");
        // the raw observations, for reading what etcd actually answered
        StringBuilder observed = new StringBuilder();
        for (Sequence sequence : sequences) {
            observed.append("=== ").append(sequence).append('\n');
            etcdRun.get(sequence.id()).forEach(o -> observed.append("etcd  ").append(o).append('\n'));
            cairnRun.get(sequence.id()).forEach(o -> observed.append("cand  ").append(o).append('\n'));
        }
        Files.writeString(Path.of("target", "compat-observations.txt"), observed);
        System.out.println("[compat] " + summary + "; details in " + out.toAbsolutePath());
    }

    /** Lines "key | value" of a resource; '#' starts a comment. */
    private static Map<String, String> table(String resource) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = DifferentialSuiteTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return out;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s*\\|\\s*", 2);
                out.put(parts[0].strip(), parts.length > 1 ? parts[1].strip() : "");
            }
        }
        return out;
    }

    private static ObjectNode failure(String why) {
        ObjectNode node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.put("step", "(start)");
        node.put("outcome", why);
        return node;
    }

    private static String tail(String log) {
        return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
    }
}
