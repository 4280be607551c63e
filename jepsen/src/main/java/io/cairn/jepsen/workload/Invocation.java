package io.cairn.jepsen.workload;

import com.fasterxml.jackson.databind.JsonNode;

/** What a worker is about to do: function, key and arguments. */
public record Invocation(String f, String key, JsonNode input) {
}
