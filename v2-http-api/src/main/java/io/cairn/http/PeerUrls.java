package io.cairn.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The body of a member add or update: {"peerURLs":[…]}, validated as etcd validates it (spec 13.5b). */
final class PeerUrls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCHEMES = Set.of("http", "https", "unix", "unixs");

    private PeerUrls() {
    }

    /** The sorted, trimmed, validated URLs; throws with etcd's 400 message otherwise. */
    static List<String> parse(byte[] body) {
        if (body.length == 0) {
            throw new MembershipException(400, "unexpected end of JSON input");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
            // Go's decoder reports a body that stops mid-value this way (spec 13.5b, P158)
            throw new MembershipException(400, "unexpected end of JSON input");
        } catch (IOException e) {
            throw new MembershipException(400, "invalid character in JSON input");
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode u : root == null ? JSON.createArrayNode() : root.path("peerURLs")) {
            String url = u.asText().strip();
            validate(url);
            urls.add(url);
        }
        if (urls.isEmpty()) {
            throw new MembershipException(400, "no valid URLs given");
        }
        urls.sort(String::compareTo);
        return urls;
    }

    private static void validate(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new MembershipException(400, "parse \"" + url + "\": " + e.getReason());
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new MembershipException(400, "URL scheme must be http, https, unix, or unixs: " + url);
        }
        if (uri.getPort() < 0) {
            throw new MembershipException(400, "URL address does not have the form \"host:port\": " + url);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new MembershipException(400, "URL must not contain a path: " + url);
        }
    }
}
