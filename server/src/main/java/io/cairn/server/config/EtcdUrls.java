package io.cairn.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * URL lists validated with the rules (and messages) of etcd's {@code types.NewURLs}: each entry is
 * trimmed, must use http, https, unix or unixs, must have a {@code host:port} and no path. The
 * accepted list is sorted as strings, as etcd stores it.
 */
public final class EtcdUrls {
    private EtcdUrls() {}

    /** Parses a comma-separated list as etcd's URL flags do. */
    public static List<String> parseList(String commaSeparated) throws IllegalArgumentException {
        List<String> raw = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            raw.add(part);
        }
        return validate(raw);
    }

    /** Validates every URL and returns them trimmed and sorted; the message says what is wrong. */
    public static List<String> validate(List<String> urls) throws IllegalArgumentException {
        List<String> accepted = new ArrayList<>();
        for (String entry : urls) {
            accepted.add(validateOne(entry.strip()));
        }
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("no valid URLs given");
        }
        accepted.sort(null);
        return List.copyOf(accepted);
    }

    private static String validateOne(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            int colon = url.indexOf(':');
            int slash = url.indexOf('/');
            boolean goSeesPathColon = !url.contains("://") && colon >= 0 && (slash < 0 || colon < slash);
            String reason = goSeesPathColon ? "first path segment in URL cannot contain colon" : e.getReason();
            throw new IllegalArgumentException("parse \"" + url + "\": " + reason);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !List.of("http", "https", "unix", "unixs").contains(scheme)) {
            throw new IllegalArgumentException("URL scheme must be http, https, unix, or unixs: " + url);
        }
        if (uri.getRawAuthority() == null || !hasPort(uri.getRawAuthority())) {
            throw new IllegalArgumentException("URL address does not have the form \"host:port\": " + url);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("URL must not contain a path: " + url);
        }
        return url;
    }

    private static boolean hasPort(String authority) {
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 && hostPort.length() > close + 1 && hostPort.charAt(close + 1) == ':';
        }
        int colon = hostPort.indexOf(':');
        return colon >= 0 && colon == hostPort.lastIndexOf(':');
    }

    /** The host of a validated URL (without IPv6 brackets). */
    public static String host(String url) {
        String authority = URI.create(url).getRawAuthority();
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            return hostPort.substring(1, hostPort.indexOf(']'));
        }
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    /** The port of a validated URL; a {@code host:} with an empty port means 0, as in Go. */
    public static int port(String url) {
        String authority = URI.create(url).getRawAuthority();
        String portText = authority.substring(authority.lastIndexOf(':') + 1);
        return portText.isEmpty() ? 0 : Integer.parseInt(portText);
    }
}
