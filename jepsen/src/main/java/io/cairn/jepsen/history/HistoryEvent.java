package io.cairn.jepsen.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a history file: an invocation or a completion (type invoke, ok, fail, info).
 * Field names follow the plan's JSON-lines format.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEvent(
        long index,
        long time,
        String wall,
        String process,
        String node,
        String type,
        String f,
        String key,
        JsonNode value,
        Integer http,
        Long etcdIndex,
        Long raftIndex,
        String error) {

    public static final String INVOKE = "invoke";
    public static final String NEMESIS = "nemesis";

    public boolean isNemesis() {
        return NEMESIS.equals(process);
    }
}
