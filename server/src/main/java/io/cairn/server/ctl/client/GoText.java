package io.cairn.server.ctl.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The text Go's standard library would produce, so cairnctl's messages and requests are the ones
 * etcdctl's users know: network error wording, {@code url.Values.Encode}, path escaping and
 * {@code path.Clean}.
 */
public final class GoText {
    private GoText() {}

    /** Go's wording for a failed dial/read, e.g. {@code dial tcp 127.0.0.1:2379: connect: connection refused}. */
    public static String networkError(URI endpoint, IOException e) {
        String host = endpoint.getHost();
        int port = endpoint.getPort() < 0 ? defaultPort(endpoint) : endpoint.getPort();
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return "dial tcp " + resolved(host) + ":" + port + ": connect: connection refused";
        }
        if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
            return "dial tcp: lookup " + host + ": no such host";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "dial tcp " + resolved(host) + ":" + port + ": i/o timeout";
        }
        if (e instanceof HttpTimeoutException) {
            return "client: endpoint " + endpoint + " exceeded header timeout";
        }
        String message = e.getMessage();
        return message == null || message.isEmpty() ? "EOF" : message;
    }

    /** True for failures to reach the endpoint at all (etcdctl's "bad connection"). */
    public static boolean isConnectionFailure(IOException e) {
        return e instanceof ConnectException || e.getCause() instanceof ConnectException
                || e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException
                || e instanceof HttpConnectTimeoutException;
    }

    private static int defaultPort(URI endpoint) {
        return "https".equals(endpoint.getScheme()) ? 443 : 80;
    }

    private static String resolved(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }

    /** {@code url.Values.Encode}: keys in the map's (sorted) order, query-escaped. */
    public static String encodeForm(Map<String, String> values) {
        StringJoiner joined = new StringJoiner("&");
        values.forEach((k, v) -> joined.add(queryEscape(k) + "=" + queryEscape(v)));
        return joined.toString();
    }

    static String queryEscape(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    /** Go's path escaping for URLs (unreserved characters and {@code $&+,/:;=@} stay as they are). */
    public static String escapePath(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.~$&+,/:;=@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** etcd's {@code CanonicalURLPath}: {@code path.Clean} keeping a trailing slash. */
    public static String canonicalUrlPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : p.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(segment);
            }
        }
        String cleaned = "/" + String.join("/", parts);
        if (p.endsWith("/") && !cleaned.equals("/")) {
            cleaned += "/";
        }
        return cleaned;
    }
}
