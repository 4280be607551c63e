package io.cairn.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Replays a backup into an empty cluster: directories before their children, TTLs as they were
 * left when the backup was taken. Existing keys are never overwritten (the create fails).
 */
final class BackupRestorer {
    private final V2KeysClient client;

    BackupRestorer(V2KeysClient client) {
        this.client = client;
    }

    int restore(Path file) throws IOException, InterruptedException {
        JsonNode root = new ObjectMapper().readTree(file.toFile()).path("node");
        if (root.isMissingNode()) {
            throw new BackupException(file + " is not a Cairn backup (no \"node\")");
        }
        return restoreChildren(root);
    }

    private int restoreChildren(JsonNode dir) throws IOException, InterruptedException {
        int count = 0;
        for (JsonNode child : dir.path("nodes")) {
            String key = child.path("key").asText();
            boolean isDir = child.path("dir").asBoolean(false);
            Long ttl = child.has("ttl") ? Math.max(1, child.path("ttl").asLong()) : null;
            client.create(key, child.path("value").asText(""), isDir, ttl);
            count++;
            if (isDir) {
                count += restoreChildren(child);
            }
        }
        return count;
    }
}
