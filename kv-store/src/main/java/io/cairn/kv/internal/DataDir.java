package io.cairn.kv.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Layout of the store's directory: {@code db-<generation>/} databases, a {@code CURRENT} file naming
 * the live one (replaced atomically, so a restore swaps databases in one rename), and scratch
 * space for checkpoints and incoming snapshots.
 */
public final class DataDir {
    private final Path root;

    public DataDir(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    /** The live database directory (creating the pointer on first use), after removing leftovers. */
    public Path current() throws IOException {
        Path pointer = root.resolve("CURRENT");
        String name = Files.exists(pointer) ? Files.readString(pointer, StandardCharsets.UTF_8).trim() : "db-0";
        if (!Files.exists(pointer)) {
            publish(name);
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path p : (Iterable<Path>) children::iterator) {
                String n = p.getFileName().toString();
                if ((n.startsWith("db-") && !n.equals(name)) || n.equals("checkpoints")) {
                    deleteTree(p);
                }
            }
        }
        return root.resolve(name);
    }

    /** A fresh, empty directory for the next database generation. */
    public Path nextGeneration(Path current) throws IOException {
        long generation = Long.parseLong(current.getFileName().toString().substring(3)) + 1;
        Path next = root.resolve("db-" + generation);
        deleteTree(next);
        return next;
    }

    /** Makes {@code db} the live database, atomically. */
    public void makeCurrent(Path db) throws IOException {
        publish(db.getFileName().toString());
    }

    /** A new empty directory for a checkpoint. */
    public Path newCheckpointDir() throws IOException {
        Path dir = root.resolve("checkpoints");
        Files.createDirectories(dir);
        return dir.resolve("ckpt-" + System.nanoTime());
    }

    private void publish(String name) throws IOException {
        Path tmp = root.resolve("CURRENT.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, root.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(root);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename is then as durable as they allow.
        }
    }

    /** Deletes a directory tree if it exists. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
