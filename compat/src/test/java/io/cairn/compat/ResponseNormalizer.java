package io.cairn.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a response into a comparable JSON document: what must be equal is kept verbatim, what legitimately
 * differs between two runs is rewritten. Store indexes become {@code "i+N"} relative to the index at the start
 * of the sequence (a fresh etcd starts at 3, Cairn need not); {@code expiration} is checked to be Go's
 * RFC3339Nano and then masked; {@code nodes} arrays are sorted by key because unsorted listing order is
 * unspecified (spec 5.1d, 18.3). The {@code ttl} tolerance lives in {@link JsonDiff}.
 */
final class ResponseNormalizer {

    /** Headers compared verbatim (lower case). */
    private static final List<String> EXACT_HEADERS = List.of("content-type", "access-control-allow-methods",
            "access-control-allow-origin", "access-control-allow-headers", "allow", "location",
            "x-content-type-options", "x-etcd-cluster-id");
    /** Headers whose presence is compared but whose values are implementation latitude (spec 18.1). */
    private static final List<String> PRESENCE_HEADERS = List.of("x-raft-index", "x-raft-term");

    private static final Pattern RFC3339_NANO =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{0,8}[1-9])?Z");
    private static final Pattern IN_ORDER_NAME = Pattern.compile("(?<=/)\\d{20}(?=/|$)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final long base;

    ResponseNormalizer(long base) {
        this.base = base;
    }

    ObjectNode normalize(String step, RawHttp.Response response, boolean shape, boolean noBody) {
        ObjectNode out = NODES.objectNode();
        out.put("step", step);
        out.put("status", response.status());
        ObjectNode headers = out.putObject("headers");
        for (String name : EXACT_HEADERS) {
            String value = response.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        for (String name : PRESENCE_HEADERS) {
            headers.put(name, response.header(name) != null);
        }
        String etcdIndex = response.header("x-etcd-index");
        if (etcdIndex != null) {
            headers.put("x-etcd-index", relative(Long.parseLong(etcdIndex)));
        }
        if (noBody) {
            return out;
        }
        String text = response.text();
        out.put("newline", text.endsWith("\n"));
        List<String> lines = RawHttp.lines(response.body());
        ArrayNode bodies = out.putArray("body");
        for (String line : lines.isEmpty() ? List.of("") : lines) {
            bodies.add(normalizeBody(line, shape));
        }
        return out;
    }

    private JsonNode normalizeBody(String text, boolean shape) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JsonNode json = JSON.readTree(trimmed);
                return shape ? shapeOf(json) : normalizeJson(json, null);
            } catch (IOException e) {
                return TextNode.valueOf("unparsable JSON: " + text);
            }
        }
        return TextNode.valueOf(text);
    }

    private JsonNode normalizeJson(JsonNode node, String fieldName) {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            boolean indexCause = node.has("errorCode") && (node.get("errorCode").asInt() == 101
                    || node.get("errorCode").asInt() == 401);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (name.equals("cause") && indexCause && value.isTextual()) {
                    out.put(name, relativeNumbers(value.asText()));
                } else {
                    out.set(name, normalizeJson(value, name));
                }
            }
            out.put("@fields", String.join(",", iterable(node.fieldNames())));
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(normalizeJson(item, null)));
            if ("nodes".equals(fieldName)) {
                items.sort(Comparator.comparing(item -> item.path("key").asText()));
            }
            ArrayNode out = NODES.arrayNode();
            items.forEach(out::add);
            return out;
        }
        if (fieldName == null) {
            return node;
        }
        switch (fieldName) {
            case "modifiedIndex", "createdIndex", "index":
                return node.canConvertToLong() && node.asLong() > 0 ? TextNode.valueOf(relative(node.asLong())) : node;
            case "expiration":
                return TextNode.valueOf(RFC3339_NANO.matcher(node.asText()).matches()
                        ? "<rfc3339nano>" : "<not RFC3339Nano: " + node.asText() + ">");
            case "key":
                return TextNode.valueOf(relativeInOrderNames(node.asText()));
            default:
                return node;
        }
    }

    /** Structure only: objects keep their field names (in order), scalars become their JSON type. */
    private static JsonNode shapeOf(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            node.fields().forEachRemaining(field -> out.set(field.getKey(), shapeOf(field.getValue())));
            out.put("@fields", String.join(",", iterable(node.fieldNames())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            if (!node.isEmpty()) {
                out.add(shapeOf(node.get(0)));
            }
            return out;
        }
        return TextNode.valueOf("<" + node.getNodeType().name().toLowerCase() + ">");
    }

    private String relative(long index) {
        if (index == 0) {
            return "0";
        }
        long delta = index - base;
        return delta >= 0 ? "i+" + delta : "i" + delta;
    }

    private String relativeInOrderNames(String key) {
        Matcher m = IN_ORDER_NAME.matcher(key);
        return m.replaceAll(match -> "<" + relative(Long.parseLong(match.group())) + ">");
    }

    /** Compare-failed and history-cleared causes quote indexes: "[3 != 5]", "[4/2]". */
    private String relativeNumbers(String cause) {
        Matcher m = NUMBER.matcher(cause);
        return m.replaceAll(match -> {
            if (match.group().length() > 18) {
                return match.group(); // beyond any index this suite reaches (e.g. a max uint64 prevIndex)
            }
            long n = Long.parseLong(match.group());
            return n >= base && n < base + 100_000 ? "<" + relative(n) + ">" : match.group();
        });
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }
}
