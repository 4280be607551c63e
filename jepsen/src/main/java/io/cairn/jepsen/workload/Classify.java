package io.cairn.jepsen.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.jepsen.checker.Results;
import io.cairn.jepsen.client.NoAnswerException;
import io.cairn.jepsen.client.RequestOutcome;
import io.cairn.jepsen.client.V2Response;

/** Jepsen's classification of v2 answers, shared by the workloads. */
final class Classify {
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private Classify() {
    }

    /** A read without an answer has no side effect: it failed. */
    static Completion readFailed(NoAnswerException e) {
        return Completion.fail(e.getMessage(), null);
    }

    /** A write without an answer failed only if nothing was sent; otherwise it is uncertain. */
    static Completion writeUnanswered(NoAnswerException e) {
        return e.outcome() == RequestOutcome.NOT_SENT ? Completion.fail(e.getMessage(), null) : Completion.info(e.getMessage());
    }

    /** A definite refusal we did not expect (a 4xx in a main workload is a harness bug). */
    static Completion unexpected(V2Response r) {
        return Completion.fail(r.status() + "/" + r.errorCode() + " " + r.body().path("message").asText(), r.status());
    }

    static ObjectNode result(String result) {
        return JSON.createObjectNode().put("result", result);
    }

    /** {"result":"ok","index":modifiedIndex} for a successful mutation. */
    static ObjectNode applied(V2Response r) {
        return result(Results.OK).put("index", r.node().path("modifiedIndex").asLong());
    }

    static boolean notFound(V2Response r) {
        return r.status() == 404 && r.errorCode() == 100;
    }

    static boolean compareFailed(V2Response r) {
        return r.status() == 412 && r.errorCode() == 101;
    }

    static boolean exists(V2Response r) {
        return r.status() == 412 && r.errorCode() == 105;
    }

    static JsonNode text(String value) {
        return JSON.getNodeFactory().textNode(value);
    }
}
