package io.cairn.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Go's url.ParseQuery, as etcd's parameter parsing sees it (spec 3.1): {@code &}-separated pairs,
 * {@code +} is a space, {@code %XX} escapes; a {@code ;} or a malformed escape is an error with
 * Go's message; when a name repeats, the first value wins.
 */
final class FormParser {
    private FormParser() {
    }

    /** A parameter string Go refuses, with the message Go gives. */
    static final class BadFormException extends Exception {
        private static final long serialVersionUID = 1L;

        BadFormException(String message) {
            super(message);
        }
    }

    static Map<String, String> parse(String raw) throws BadFormException {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        BadFormException first = null;
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (pair.indexOf(';') >= 0) {
                first = first != null ? first : new BadFormException("invalid semicolon separator in query");
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                String key = unescape(name);
                String val = unescape(value);
                params.putIfAbsent(key, val);
            } catch (BadFormException e) {
                first = first != null ? first : e;
            }
        }
        if (first != null) {
            throw first;
        }
        return params;
    }

    /** Percent-decoding for query components: {@code +} is a space. */
    static String unescape(String s) throws BadFormException {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    String bad = s.substring(i, Math.min(s.length(), i + 3));
                    throw new BadFormException("invalid URL escape \"" + bad + "\"");
                }
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                int codePoint = s.codePointAt(i);
                byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Percent-decoding for a URL path: {@code +} stays a plus (spec 1.3a). */
    static String unescapePath(String s) throws BadFormException {
        return unescape(s.replace("+", "%2B"));
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
