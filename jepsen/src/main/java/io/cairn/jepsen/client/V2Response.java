package io.cairn.jepsen.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An answer from the v2 API.
 *
 * @param status the HTTP status
 * @param etcdIndex the X-Etcd-Index header, or -1
 * @param body the parsed JSON body (missing node when the body is not JSON)
 */
public record V2Response(int status, long etcdIndex, JsonNode body) {

    public int errorCode() {
        return body.path("errorCode").asInt(0);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public JsonNode node() {
        return body.path("node");
    }
}
