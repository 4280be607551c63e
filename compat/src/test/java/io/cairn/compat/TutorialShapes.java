package io.cairn.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shapes of the tutorial's etcdctl output: each tutorial line becomes a regex in which member ids, URLs, member
 * names and Go's network error text are generalised, while every other character must match literally.
 */
final class TutorialShapes {

    /** Tutorial-specific parts, replaced in this order by the regex after "=>". */
    private static final List<String[]> GENERALISE = List.of(
            // Go's error text differs between Go versions (newer ones quote the URL): any text
            new String[] {"Get http\\S+/health: .*", ".+"},
            new String[] {"http://etcd-\\d\\.etcd:\\d+", "http://127\\\\.0\\\\.0\\\\.1:\\\\d+"},
            new String[] {"\\b[0-9a-f]{16}\\b", "[0-9a-f]{1,16}"},
            new String[] {"etcd-\\d", "s\\\\d"});
    private static final Pattern PLACEHOLDER = Pattern.compile("\u0001(\\d+)\u0002");

    private final Map<String, List<Pattern>> shapes;

    private TutorialShapes(Map<String, List<Pattern>> shapes) {
        this.shapes = shapes;
    }

    static TutorialShapes load() {
        try (InputStream in = TutorialShapes.class.getClassLoader().getResourceAsStream("tutorial-outputs.txt")) {
            Map<String, List<Pattern>> shapes = new LinkedHashMap<>();
            List<Pattern> current = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    current = shapes.computeIfAbsent(line.substring(1, line.length() - 1), k -> new ArrayList<>());
                } else {
                    current.add(shapeOf(line));
                }
            }
            return new TutorialShapes(shapes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pattern shapeOf(String line) {
        List<String> replacements = new ArrayList<>();
        String marked = line;
        for (String[] rule : GENERALISE) {
            Matcher m = Pattern.compile(rule[0]).matcher(marked);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                replacements.add(rule[1].replace("\\\\", "\\"));
                m.appendReplacement(out, "\u0001" + (replacements.size() - 1) + "\u0002");
            }
            m.appendTail(out);
            marked = out.toString();
        }
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(marked);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(marked.substring(last, m.start())));
            regex.append(replacements.get(Integer.parseInt(m.group(1))));
            last = m.end();
        }
        regex.append(Pattern.quote(marked.substring(last)));
        return Pattern.compile(regex.toString());
    }

    /** Lines of {@code output} that match none of the step's tutorial shapes (empty = same shape). */
    List<String> linesNotShapedLike(String step, List<String> output) {
        List<Pattern> patterns = shapes.get(step);
        return output.stream().filter(line -> patterns.stream().noneMatch(p -> p.matcher(line).matches())).toList();
    }

    /** Tutorial shapes of the step that no output line matches. */
    List<Pattern> shapesMissingFrom(String step, List<String> output) {
        return shapes.get(step).stream()
                .filter(p -> output.stream().noneMatch(line -> p.matcher(line).matches())).toList();
    }
}
