package io.cairn.server.ctl.output;

import io.cairn.server.ctl.client.KeysResponse;
import io.cairn.server.ctl.client.Node;

/**
 * etcdctl's {@code -o json}: Go's {@code json.Marshal} of the client's Response struct, with its
 * field order, its {@code null}s, its omitted empty fields and its HTML-safe string escaping.
 */
public final class GoJson {
    private GoJson() {}

    public static String response(KeysResponse r) {
        StringBuilder out = new StringBuilder("{\"action\":");
        string(out, r.action());
        out.append(",\"node\":");
        node(out, r.node());
        out.append(",\"prevNode\":");
        node(out, r.prevNode());
        return out.append('}').toString();
    }

    private static void node(StringBuilder out, Node n) {
        if (n == null) {
            out.append("null");
            return;
        }
        out.append("{\"key\":");
        string(out, n.key());
        if (n.dir()) {
            out.append(",\"dir\":true");
        }
        out.append(",\"value\":");
        string(out, n.value());
        out.append(",\"nodes\":");
        if (n.nodes() == null) {
            out.append("null");
        } else {
            out.append('[');
            for (int i = 0; i < n.nodes().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                node(out, n.nodes().get(i));
            }
            out.append(']');
        }
        out.append(",\"createdIndex\":").append(Long.toUnsignedString(n.createdIndex()));
        out.append(",\"modifiedIndex\":").append(Long.toUnsignedString(n.modifiedIndex()));
        if (n.expiration() != null) {
            out.append(",\"expiration\":");
            string(out, n.expiration());
        }
        if (n.ttl() != 0) {
            out.append(",\"ttl\":").append(n.ttl());
        }
        out.append('}');
    }

    /** Go's encoder: escapes quotes, backslashes, control characters, {@code <>&} and U+2028/2029. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
