package io.cairn.server.config;

/** {@code --initial-cluster-state}: bootstrap a new cluster or join an existing one. */
public enum ClusterState {
    NEW, EXISTING;

    static ClusterState parse(String text) {
        return switch (text) {
            case "new" -> NEW;
            case "existing" -> EXISTING;
            default -> throw new IllegalArgumentException("unexpected clusterState \"" + text + "\"");
        };
    }
}
