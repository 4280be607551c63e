package io.cairn.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parsed {@code --initial-cluster} value: member name to its peer URLs. A name may repeat to
 * give one member several URLs. URLs are kept exactly as written (member ids hash them as text),
 * sorted per member, as etcd's {@code types.URLsMap} holds them.
 */
public final class InitialCluster {
    private final Map<String, List<String>> peerUrlsByName;

    private InitialCluster(Map<String, List<String>> peerUrlsByName) {
        this.peerUrlsByName = peerUrlsByName;
    }

    public static InitialCluster parse(String text) {
        Map<String, List<String>> collected = new TreeMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String url = eq < 0 ? "" : pair.substring(eq + 1);
            collected.computeIfAbsent(name.strip(), n -> new ArrayList<>()).add(url);
        }
        Map<String, List<String>> validated = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : collected.entrySet()) {
            validated.put(e.getKey(), EtcdUrls.validate(e.getValue()));
        }
        return new InitialCluster(Collections.unmodifiableMap(validated));
    }

    public static InitialCluster of(String name, List<String> peerUrls) {
        return new InitialCluster(Map.of(name, EtcdUrls.validate(peerUrls)));
    }

    /** Member names sorted, each with its sorted peer URLs. */
    public Map<String, List<String>> members() {
        return peerUrlsByName;
    }

    public boolean contains(String name) {
        return peerUrlsByName.containsKey(name);
    }

    public List<String> peerUrls(String name) {
        return peerUrlsByName.getOrDefault(name, List.of());
    }

    /** True if some URL is listed twice (for one member or across members). */
    public boolean hasDuplicateUrl() {
        Set<String> seen = new HashSet<>();
        for (List<String> urls : peerUrlsByName.values()) {
            for (String url : urls) {
                if (!seen.add(url)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code name1=url1,name2=url2} with names and URLs sorted, as etcd prints it. */
    @Override
    public String toString() {
        List<String> pairs = new ArrayList<>();
        peerUrlsByName.forEach((name, urls) -> urls.forEach(url -> pairs.add(name + "=" + url)));
        return String.join(",", pairs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitialCluster other && other.peerUrlsByName.equals(peerUrlsByName);
    }

    @Override
    public int hashCode() {
        return peerUrlsByName.hashCode();
    }
}
