package io.cairn.server.ctl.client;

/**
 * A successful keys answer: the body plus the {@code X-Etcd-Index} header, which etcdctl prints
 * as {@code Index:}.
 */
public record KeysResponse(String action, Node node, Node prevNode, long index) {}
