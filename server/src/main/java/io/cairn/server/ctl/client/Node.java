package io.cairn.server.ctl.client;

import java.util.List;

/**
 * A node of a keys response, with the fields etcdctl reads. {@code nodes} is null when the
 * server sent none, which etcdctl's JSON output shows as {@code "nodes":null}.
 *
 * @param expiration the server's RFC 3339 text, kept verbatim; null without TTL
 */
public record Node(String key, boolean dir, String value, List<Node> nodes, long createdIndex, long modifiedIndex,
        String expiration, long ttl) {}
