package io.cairn.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One differential test case: a named list of steps, written as data in {@code sequences/*.seq}.
 *
 * <pre>
 * === 5.2a set creates (201) then replaces (200)        &lt;- a sequence; the name starts with spec rows
 * PUT {k}/a value=one                                  &lt;- METHOD TARGET [FORM-BODY]
 * [ct=application/json] PUT {k}/a {"value":"x"}         &lt;- options in brackets before the method
 * [async=w lines=2] GET {k}/a?wait=true&amp;stream=true    &lt;- returns once headers arrived; body read by AWAIT
 * AWAIT w
 * GONE {k}/a                                           &lt;- poll until 404 (not recorded; TTL expiry)
 * </pre>
 * Placeholders: {@code {k}} = {@code /v2/keys/<sequence-id>}, {@code {key}} = {@code /<sequence-id>},
 * {@code {i+N}} = the store index when the sequence began plus N. Options: {@code ct=} content type of the
 * body, {@code h=Name:Value} extra header, {@code shape} compare the JSON body's structure only (for
 * run-dependent values such as stats), {@code nobody} compare status and headers only.
 */
record Sequence(String id, String name, String file, List<Step> steps) {

    enum Kind { REQUEST, AWAIT, GONE }

    record Step(Kind kind, String line, String method, String target, String body, Map<String, String> headers,
                String async, int lines, boolean shape, boolean noBody) {}

    static List<Sequence> load(String resourceDir, List<String> files) {
        List<Sequence> all = new ArrayList<>();
        for (String file : files) {
            String path = resourceDir + "/" + file;
            try (InputStream in = Sequence.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalArgumentException("missing resource " + path);
                }
                all.addAll(parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8), all.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    static List<Sequence> parse(String file, String text, int firstNumber) {
        List<Sequence> sequences = new ArrayList<>();
        String name = null;
        List<Step> steps = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("===")) {
                if (name != null) {
                    sequences.add(build(file, name, steps, firstNumber + sequences.size()));
                }
                name = line.substring(3).strip();
                steps = new ArrayList<>();
                continue;
            }
            if (name == null) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": step before the first ===");
            }
            steps.add(parseStep(file + ":" + lineNo, line));
        }
        if (name != null) {
            sequences.add(build(file, name, steps, firstNumber + sequences.size()));
        }
        return sequences;
    }

    private static Sequence build(String file, String name, List<Step> steps, int number) {
        return new Sequence(String.format("q%03d", number), name, file, List.copyOf(steps));
    }

    private static Step parseStep(String where, String line) {
        Map<String, String> headers = new LinkedHashMap<>();
        String async = null;
        int lines = Integer.MAX_VALUE;
        boolean shape = false;
        boolean noBody = false;
        String rest = line;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            for (String option : rest.substring(1, close).trim().split("\\s+")) {
                if (option.startsWith("ct=")) {
                    headers.put("Content-Type", option.substring(3));
                } else if (option.startsWith("h=")) {
                    String header = option.substring(2);
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon), header.substring(colon + 1));
                } else if (option.startsWith("async=")) {
                    async = option.substring(6);
                } else if (option.startsWith("lines=")) {
                    lines = Integer.parseInt(option.substring(6));
                } else if (option.equals("shape")) {
                    shape = true;
                } else if (option.equals("nobody")) {
                    noBody = true;
                } else {
                    throw new IllegalArgumentException(where + ": unknown option " + option);
                }
            }
            rest = rest.substring(close + 1).strip();
        }
        String[] parts = rest.split(" ", 3);
        if (parts[0].equals("AWAIT")) {
            return new Step(Kind.AWAIT, line, null, null, null, headers, parts[1], lines, shape, noBody);
        }
        if (parts[0].equals("GONE")) {
            return new Step(Kind.GONE, line, "GET", parts[1], null, headers, null, lines, shape, noBody);
        }
        if (parts.length < 2) {
            throw new IllegalArgumentException(where + ": expected METHOD TARGET [BODY]: " + line);
        }
        String body = parts.length == 3 ? parts[2] : null;
        if ("<empty>".equals(body)) {
            body = "";
        }
        if (body != null && !headers.containsKey("Content-Type")) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
        }
        return new Step(Kind.REQUEST, line, parts[0], parts[1], body, headers, async, lines, shape, noBody);
    }

    @Override
    public String toString() {
        return id + " " + name;
    }
}
