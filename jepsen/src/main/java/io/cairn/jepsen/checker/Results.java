package io.cairn.jepsen.checker;

import com.fasterxml.jackson.databind.JsonNode;

/** The result vocabulary workloads record and models read. */
public final class Results {
    public static final String OK = "ok";
    public static final String COMPARE_FAILED = "compare-failed";
    public static final String NOT_FOUND = "not-found";
    public static final String EXISTS = "exists";

    private Results() {
    }

    /** The "result" field of an output, "ok" when the output only carries a value. */
    public static String result(JsonNode output) {
        return output.path("result").asText(OK);
    }

    public static long index(JsonNode node) {
        return node.path("index").asLong(RegisterState.UNKNOWN_INDEX);
    }
}
