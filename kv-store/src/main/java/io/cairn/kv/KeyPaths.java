package io.cairn.kv;

import java.util.ArrayList;
import java.util.List;

/** Key normalisation as etcd's store does it ({@code path.Clean(path.Join("/", key))}). */
public final class KeyPaths {
    private KeyPaths() {
    }

    /**
     * Cleans a key: leading {@code /} added, repeated and trailing slashes dropped, {@code .} and
     * {@code ..} resolved lexically. The root is {@code "/"}.
     */
    public static String clean(String key) {
        List<String> parts = new ArrayList<>();
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(segment);
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }

    /** The parent of a clean key ({@code "/"} for top-level keys and for the root). */
    public static String parent(String cleanKey) {
        int slash = cleanKey.lastIndexOf('/');
        return slash <= 0 ? "/" : cleanKey.substring(0, slash);
    }

    /** The last segment of a clean key (empty for the root). */
    public static String name(String cleanKey) {
        return cleanKey.substring(cleanKey.lastIndexOf('/') + 1);
    }

    /** True when the node's own name starts with {@code _} (hidden from listings). */
    public static boolean isHidden(String cleanKey) {
        return name(cleanKey).startsWith("_");
    }

    /** Number of segments: 0 for the root, 1 for {@code /a}, 2 for {@code /a/b}. */
    public static int depth(String cleanKey) {
        if (cleanKey.equals("/")) {
            return 0;
        }
        int depth = 0;
        for (int i = 0; i < cleanKey.length(); i++) {
            if (cleanKey.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }
}
