package io.cairn.server.ctl.client;

import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code /v2/keys} request as etcd's Go client builds it: which parameters travel in the query
 * and which in the form body follows the client, not convenience, because servers see both.
 *
 * @param oneShot not retried on another endpoint after a failure (creates could otherwise
 *     succeed twice)
 * @param watch a long poll: no per-request timeout
 */
public record KeysRequest(String method, String key, Map<String, String> query, Map<String, String> form,
        boolean oneShot, boolean watch) {

    public KeysRequest {
        query = new TreeMap<>(query);
        form = new TreeMap<>(form);
    }

    public static KeysRequest get(String key, boolean recursive, boolean sorted, boolean quorum) {
        return new KeysRequest("GET", key, Map.of("recursive", Boolean.toString(recursive),
                "sorted", Boolean.toString(sorted), "quorum", Boolean.toString(quorum)), Map.of(), false, false);
    }

    /** PUT as {@code KeysAPI.Set}: {@code prevExist} is "", "true" or "false". */
    public static KeysRequest set(String key, String value, SetOptions o) {
        Map<String, String> query = new TreeMap<>();
        Map<String, String> form = new TreeMap<>();
        if (!o.prevValue().isEmpty()) {
            query.put("prevValue", o.prevValue());
        }
        if (o.prevIndex() != 0) {
            query.put("prevIndex", Long.toString(o.prevIndex()));
        }
        if (!o.prevExist().isEmpty()) {
            query.put("prevExist", o.prevExist());
        }
        if (o.dir()) {
            query.put("dir", "true");
        } else {
            form.put("value", value);
        }
        if (o.ttlSeconds() > 0) {
            form.put("ttl", Long.toString(o.ttlSeconds()));
        }
        return new KeysRequest("PUT", key, query, form, o.prevExist().equals("false"), false);
    }

    public static KeysRequest createInOrder(String dir, String value, long ttlSeconds) {
        Map<String, String> form = new TreeMap<>();
        form.put("value", value);
        if (ttlSeconds > 0) {
            form.put("ttl", Long.toString(ttlSeconds));
        }
        return new KeysRequest("POST", dir, Map.of(), form, true, false);
    }

    public static KeysRequest delete(String key, String prevValue, long prevIndex, boolean dir, boolean recursive) {
        Map<String, String> query = new TreeMap<>();
        if (!prevValue.isEmpty()) {
            query.put("prevValue", prevValue);
        }
        if (prevIndex != 0) {
            query.put("prevIndex", Long.toString(prevIndex));
        }
        if (dir) {
            query.put("dir", "true");
        }
        if (recursive) {
            query.put("recursive", "true");
        }
        return new KeysRequest("DELETE", key, query, Map.of(), false, false);
    }

    public static KeysRequest watch(String key, boolean recursive, long waitIndex) {
        return new KeysRequest("GET", key, Map.of("wait", "true", "waitIndex", Long.toString(waitIndex),
                "recursive", Boolean.toString(recursive)), Map.of(), false, true);
    }

    /** The request path below an endpoint, canonicalised and escaped as the Go client sends it. */
    public String pathAndQuery() {
        String k = key.isEmpty() || key.charAt(0) == '/' ? key : "/" + key;
        String path = GoText.escapePath(GoText.canonicalUrlPath("/v2/keys" + k));
        return query.isEmpty() ? path : path + "?" + GoText.encodeForm(query);
    }

    /** Options of a PUT, named as in the Go client. */
    public record SetOptions(String prevValue, long prevIndex, String prevExist, boolean dir, long ttlSeconds) {
        public static SetOptions none() {
            return new SetOptions("", 0, "", false, 0);
        }
    }
}
