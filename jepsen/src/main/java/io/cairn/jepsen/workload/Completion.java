package io.cairn.jepsen.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.jepsen.history.Outcome;

/** How an invocation ended, classified by Jepsen's rules. */
public record Completion(Outcome outcome, JsonNode output, Integer http, long etcdIndex, String error) {

    public static Completion ok(JsonNode output, int http, long etcdIndex) {
        return new Completion(Outcome.OK, output, http, etcdIndex, null);
    }

    public static Completion fail(String error, Integer http) {
        return new Completion(Outcome.FAIL, null, http, -1, error);
    }

    public static Completion info(String error) {
        return new Completion(Outcome.INFO, null, null, -1, error);
    }
}
