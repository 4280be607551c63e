package io.cairn.jepsen.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One client operation: its invocation paired with its completion.
 *
 * @param id position of the invocation in the history
 * @param process the logical client process (at most one open operation each)
 * @param f the function: read, write, cas, create, delete, post, list, append, watch...
 * @param key the key (or queue) it concerns
 * @param input the arguments
 * @param output the result (null node when unknown)
 * @param outcome ok, fail or info
 * @param call monotonic nanos just before the request was sent
 * @param ret monotonic nanos just after the answer was read ({@link Long#MAX_VALUE} for info)
 * @param etcdIndex the X-Etcd-Index header of the answer, or -1
 */
public record Operation(
        long id,
        int process,
        String f,
        String key,
        JsonNode input,
        JsonNode output,
        Outcome outcome,
        long call,
        long ret,
        long etcdIndex) {

    public Operation {
        input = input == null ? NullNode.getInstance() : input;
        output = output == null ? NullNode.getInstance() : output;
        if (outcome == Outcome.INFO) {
            ret = Long.MAX_VALUE;
        }
        if (ret < call) {
            throw new IllegalArgumentException("operation " + id + " returns before its call");
        }
    }

    public boolean isOk() {
        return outcome == Outcome.OK;
    }

    public boolean isInfo() {
        return outcome == Outcome.INFO;
    }

    /** Whether this operation finished strictly before {@code other} was invoked. */
    public boolean precedes(Operation other) {
        return ret < other.call;
    }

    @Override
    public String toString() {
        return "#" + id + " p" + process + " " + f + " " + key + " " + input + " -> " + outcome + " " + output
                + " [" + call + ", " + (ret == Long.MAX_VALUE ? "inf" : String.valueOf(ret)) + "]";
    }
}
