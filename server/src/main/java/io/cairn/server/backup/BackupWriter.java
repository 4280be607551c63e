package io.cairn.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/** Writes a backup atomically (temporary file, fsync, rename) and keeps the newest N. */
final class BackupWriter {
    static final String PREFIX = "cairn-";
    static final String SUFFIX = ".json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final V2KeysClient client;
    private final Clock clock;

    BackupWriter(V2KeysClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    Path save(Path dir, int keep) throws IOException, InterruptedException {
        if (keep < 1) {
            throw new IllegalArgumentException("--keep must be at least 1");
        }
        JsonNode tree = client.readAll();
        Files.createDirectories(dir);
        Path target = dir.resolve(PREFIX + STAMP.format(clock.instant()) + SUFFIX);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        Files.write(temp, new ObjectMapper().writeValueAsBytes(tree));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        prune(dir, keep);
        return target;
    }

    private static void prune(Path dir, int keep) throws IOException {
        List<Path> backups;
        try (Stream<Path> files = Files.list(dir)) {
            backups = files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
            }).sorted().toList();
        }
        for (int i = 0; i < backups.size() - keep; i++) {
            Files.delete(backups.get(i));
        }
    }
}
