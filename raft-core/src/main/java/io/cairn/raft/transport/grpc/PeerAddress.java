package io.cairn.raft.transport.grpc;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A peer's host and port, parsed from either {@code host:port} or an etcd-style peer URL
 * ({@code http://host:port}, as in {@code --initial-cluster}). IPv6 literals use brackets.
 */
record PeerAddress(String host, int port) {

    PeerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port);
        }
    }

    static PeerAddress parse(String address) {
        String text = address.strip();
        String withScheme = text.contains("://") ? text : "tcp://" + text;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a peer address (host:port or http://host:port): " + address, e);
        }
        String host = uri.getHost();
        if (host == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("not a peer address (host:port or http://host:port): " + address);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new PeerAddress(host, uri.getPort());
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
