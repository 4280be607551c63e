package io.cairn.jepsen.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.history.Outcome;

/** Terse builders for hand-written histories. */
final class Ops {
    static final ObjectMapper JSON = new ObjectMapper();
    private static long ids;

    private Ops() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static JsonNode text(String value) {
        return JSON.getNodeFactory().textNode(value);
    }

    static Operation op(int process, String f, String key, JsonNode in, JsonNode out, Outcome outcome, long call, long ret) {
        return new Operation(++ids, process, f, key, in, out, outcome, call, ret, -1);
    }

    static Operation read(int p, String key, String value, long call, long ret) {
        return op(p, "read", key, null, value == null ? NullNode.getInstance() : text(value), Outcome.OK, call, ret);
    }

    static Operation write(int p, String key, String value, long call, long ret) {
        return op(p, "write", key, text(value), null, Outcome.OK, call, ret);
    }

    static Operation writeInfo(int p, String key, String value, long call) {
        return op(p, "write", key, text(value), null, Outcome.INFO, call, Long.MAX_VALUE);
    }

    static Operation cas(int p, String key, String from, String to, String result, long call, long ret) {
        return op(p, "cas", key, json("{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}"),
                json("{\"result\":\"" + result + "\"}"), Outcome.OK, call, ret);
    }
}
