package io.cairn.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Structural comparison of two normalized observations; {@code ttl} values may differ by one second. */
final class JsonDiff {

    private JsonDiff() {}

    static List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        compare("", expected, actual, out);
        return out;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected == null || actual == null || expected.isMissingNode() || actual.isMissingNode()) {
            if (!(isAbsent(expected) && isAbsent(actual))) {
                out.add(path + ": etcd " + render(expected) + " vs cairn " + render(actual));
            }
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(path + "." + name, expected.get(name), actual.get(name), out);
            }
            return;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                out.add(path + ": etcd has " + expected.size() + " items, cairn " + actual.size() + ": etcd "
                        + expected + " vs cairn " + actual);
                return;
            }
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) {
                compare(path + "[" + i + "]", e.next(), a.next(), out);
            }
            return;
        }
        if (path.endsWith(".ttl") && expected.isNumber() && actual.isNumber()) {
            if (Math.abs(expected.asLong() - actual.asLong()) > 1) {
                out.add(path + ": etcd " + expected + " vs cairn " + actual + " (more than 1 s apart)");
            }
            return;
        }
        if (!expected.equals(actual)) {
            out.add(path + ": etcd " + render(expected) + " vs cairn " + render(actual));
        }
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode();
    }

    private static String render(JsonNode node) {
        return isAbsent(node) ? "(absent)" : node.toString();
    }
}
