package io.cairn.kv.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Streams a RocksDB checkpoint directory as one byte stream and back. Framing:
 * {@code "CAIRNKV1"}, then per file {@code int nameLength, name (UTF-8), long size, bytes}, then
 * {@code int 0} and the CRC32C of everything before it as a {@code long}. A truncated or corrupt
 * stream is rejected before anything is published.
 */
public final class CheckpointStream {
    private static final byte[] MAGIC = "CAIRNKV1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_NAME = 4096;

    private CheckpointStream() {
    }

    /** Writes every regular file of {@code dir} (flat, as RocksDB checkpoints are). */
    public static void write(Path dir, OutputStream out) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
        DataOutputStream data = new DataOutputStream(checked);
        data.write(MAGIC);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        byte[] buffer = new byte[64 * 1024];
        for (Path file : files) {
            byte[] name = file.getFileName().toString().getBytes(StandardCharsets.UTF_8);
            data.writeInt(name.length);
            data.write(name);
            data.writeLong(Files.size(file));
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    data.write(buffer, 0, n);
                }
            }
        }
        data.writeInt(0);
        data.flush();
        new DataOutputStream(out).writeLong(checked.getChecksum().getValue());
        out.flush();
    }

    /** Reads a stream into the new directory {@code target}, forcing every file to disk. */
    public static void read(InputStream in, Path target) throws IOException {
        Files.createDirectories(target);
        CheckedInputStream checked = new CheckedInputStream(in, new CRC32C());
        DataInputStream data = new DataInputStream(checked);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a kv snapshot stream");
        }
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int nameLength = data.readInt();
            if (nameLength == 0) {
                break;
            }
            if (nameLength < 0 || nameLength > MAX_NAME) {
                throw new IOException("corrupt snapshot stream: name length " + nameLength);
            }
            byte[] nameBytes = new byte[nameLength];
            data.readFully(nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                throw new IOException("corrupt snapshot stream: bad file name " + name);
            }
            long size = data.readLong();
            Path file = target.resolve(name);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
                for (long left = size; left > 0; ) {
                    int n = data.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new EOFException("snapshot stream truncated in " + name);
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
                ch.force(true);
            }
        }
        long expected = checked.getChecksum().getValue();
        long actual = new DataInputStream(in).readLong();
        if (expected != actual) {
            throw new IOException("snapshot stream checksum mismatch");
        }
        DataDir.fsyncDirectory(target);
    }
}
